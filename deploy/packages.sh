# Sourced by deploy/fleet and ./run-tests: install Debian's packages that are missing, the way
# ./run-tests installs chromium (apt-get, as root). Usage: need_packages BINARY:PACKAGE ...
need_packages() {
  local missing=() item
  for item in "$@"; do
    command -v "${item%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${item%%:*}" ] || missing+=("${item#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian's ${missing[*]}…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
