"""Updates to supporters: news for a campaign's opted-in signers, unsubscribing and erasure."""
