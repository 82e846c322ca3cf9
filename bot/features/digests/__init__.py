"""Daily digests: claiming what is due, composing what it says, sending in paced rounds."""
