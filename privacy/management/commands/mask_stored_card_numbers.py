"""Mask card numbers in text stored before the masking rule last changed (run once after upgrading)."""

from django.core.management.base import BaseCommand

from privacy import services as privacy


class Command(BaseCommand):
    help = "Mask card numbers (and the expiry and CVV after them) in every stored message, name, address and note."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        for model, count in privacy.mask_stored_card_numbers(batch_size=batch_size).items():
            self.stdout.write(f"{model}: {count} rewritten")
