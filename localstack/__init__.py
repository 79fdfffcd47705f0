"""Native building blocks for running the stack's services on 127.0.0.1 without Docker.

`process` starts, waits for and stops one service; `postgres` makes a throwaway PostgreSQL cluster. The test
fixtures and the native local stack share them so a service is started and stopped the same way everywhere.
"""
