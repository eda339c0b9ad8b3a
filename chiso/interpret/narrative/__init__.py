"""Figures stated in running text ("đạt 105,3%") → observations."""
