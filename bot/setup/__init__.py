"""`pitcrew setup`: register the GitHub App from its manifest and write the env file."""
