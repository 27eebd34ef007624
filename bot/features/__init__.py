"""Feature modules: thin webhook handlers (event → engine → GitHub writes).

Each module declares ``FEATURE``; `bot.features.registry` lists them. Importing this package
registers nothing.
"""
