"""The command line: one declaration of the commands, output plumbing, completion."""
