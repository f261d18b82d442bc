"""Answering SPARQL text: the query library (library), the screen that reads a text before anything runs
it (screen, tokens, remote_functions), the binding of a library query's parameters (binding), and the
sandboxed, killable query processes that run public queries (pool, worker, sandbox, answer, fair_share)."""
