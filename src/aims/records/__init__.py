"""Management-system records as code: the `.aims/` YAML records, their models and validation."""
