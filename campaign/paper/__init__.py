"""Signatures collected on paper: sheets entered by count, and named signers imported from CSV."""
