"""Coalition letters: co-writing, organisation sign-on, delivery to recipients with proof."""
