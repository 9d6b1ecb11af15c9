"""Sub-commands of the ``newsledger`` CLI: one module per command, each with ``register(app)``."""
