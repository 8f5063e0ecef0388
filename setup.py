"""Packages only; the project's metadata is in pyproject.toml.

The built-in checks live in `checks/` at the top of the repository and install
as `auditor_checks`, so no bare `checks` package lands in site-packages. A
`package-dir` mapping cannot be combined with `packages.find` in pyproject.toml,
so the package list is found here, data folders (namespace packages) included.
"""

from setuptools import find_namespace_packages, setup

CHECKS = [f"auditor_checks{name[len('checks'):]}" for name in find_namespace_packages(include=["checks", "checks.*"])]

setup(
    packages=[*find_namespace_packages(include=["auditor", "auditor.*"]), *CHECKS],
    package_dir={"auditor_checks": "checks"},
)
