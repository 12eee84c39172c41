"""The wheel carries the design card's top-level folders inside the package (``templates/``,
``static/``, ``translations/`` compiled, ``migrations/`` as ``campaign/<name>/``), so that an
installed wheel runs from any directory; everything else is in ``pyproject.toml``."""

import importlib.util
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

DATA = ("templates", "static", "translations", "migrations")
HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    """Compile the catalogues into the build (with the app's own rules: campaign/catalogues.py,
    loaded alone, since the package's imports are not installed where a wheel is built)."""

    def run(self) -> None:
        super().run()
        spec = importlib.util.spec_from_file_location("catalogues", HERE / "campaign" / "catalogues.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        into = Path(self.build_lib) / "campaign" / "translations"
        module.compile_catalogues(HERE / "translations", into=into)


setup(
    packages=[*find_packages(include=["campaign", "campaign.*"]), *(f"campaign.{name}" for name in DATA)],
    package_dir={"campaign": "campaign", **{f"campaign.{name}": name for name in DATA}},
    package_data={
        "campaign.templates": ["**/*"],
        "campaign.static": ["**/*"],
        "campaign.migrations": ["*", "versions/*.py"],
        "campaign.translations": ["*/LC_MESSAGES/*.mo"],
    },
    exclude_package_data={"": ["*.pyc"]},
    cmdclass={"build_py": BuildWithCatalogues},
)
