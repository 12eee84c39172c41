"""The audit log: one record of every state-changing act of staff and partners, across the system."""
