"""Python used by the workflows: who may act, what a transition records."""
