"""The one compiled module; everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

# The students' inner loops (kernels.pyx), compiled by Cython at install (build-system requires).
setup(ext_modules=[Extension("communique.kernels", ["src/communique/kernels.pyx"])])
