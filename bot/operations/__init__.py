"""What an operator needs to run the bot: readiness checks, JSON-lines logs, telemetry to Azure
Monitor and the metrics it carries. Nothing here knows about reviews."""
