"""Scores of the warehouse against independent ground truth (corpus, MoF, Lâm Đồng)."""
