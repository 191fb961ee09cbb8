"""Planning the agency's work: the forecast, the staffing planner (Erlang C), economics, price plans and billing."""
