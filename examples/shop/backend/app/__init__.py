"""The shop sample application's backend."""
