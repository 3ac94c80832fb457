"""The provider gateway: providers (local, anthropic, litellm) and routing, failover and limits."""
