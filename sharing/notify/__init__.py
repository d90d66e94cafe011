"""In-app inbox and the e-mail outbox, shared by the market and the news feed."""
