"""Defenders: the people at risk, the record of each case, and their public register."""
