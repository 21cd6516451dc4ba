"""GDELT-compatible document tone: positive minus negative word percentage, polarity and densities."""

from . import stage as stage
