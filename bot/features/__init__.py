"""The features: what the bot does for readers and moderators, written once for every transport."""
