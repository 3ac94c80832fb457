"""Test generation: frameworks, placement, and derived test cases."""
