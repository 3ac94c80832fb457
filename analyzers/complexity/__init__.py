"""Cyclomatic complexity per function, counted on tree-sitter trees as mccabe and lizard do."""

from .counting import FunctionComplexity, function_complexities, measure

__all__ = ["FunctionComplexity", "function_complexities", "measure"]
