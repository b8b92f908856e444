"""Text analysis: language, sentences and the facts inside them."""
