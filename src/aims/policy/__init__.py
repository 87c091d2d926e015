"""Policy as code: the AI policy file, its evaluation, exceptions, baselines and the CI gate."""
