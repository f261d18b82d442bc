"""The security suite of issue 15: every probe of an attacker, as a test."""
