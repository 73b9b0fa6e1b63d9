"""Stand-ins for the packages the YOLO repositories import but never use to build a model
(cv2, pandas, PIL, ...), so their own parse_model runs with only torch, numpy and yaml."""
import importlib.abc
import importlib.machinery
import math
import os
import sys
import types

STUBBED = {
    "cv2", "pandas", "PIL", "requests", "matplotlib", "seaborn", "tqdm", "thop", "psutil",
    "ultralytics", "IPython", "git", "scipy", "torchvision", "pkg_resources", "tensorboard",
    "wandb", "packaging", "yaml_include", "clearml", "comet_ml", "pycocotools", "albumentations", "setuptools", "gitpython",
}


class _Anything(types.ModuleType):
    """A module (and attribute, and callable, and class) that is whatever it is asked to be."""

    __path__ = []

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        child = _Anything(f"{self.__name__}.{name}")
        setattr(self, name, child)
        return child

    def __call__(self, *args, **kwargs):
        return _Anything(self.__name__ + "()")

    def __mro_entries__(self, bases):
        return (object,)

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False

    def __ge__(self, other):
        return True

    __le__ = __gt__ = __lt__ = __eq__ = __ge__
    __hash__ = types.ModuleType.__hash__


def _make_divisible(x, divisor):
    # Ultralytics' make_divisible (the next multiple of divisor at or above x): YOLOv5 imports it.
    if hasattr(divisor, "max"):
        divisor = int(divisor.max())
    return math.ceil(x / divisor) * divisor


# What the model code really uses from a stubbed package.
OVERRIDES = {
    "ultralytics": {"__version__": "8.4.0"},
    "ultralytics.utils.ops": {"make_divisible": _make_divisible},
}


def _no_shell(command):
    raise RuntimeError(f"the reference script runs no shell command ({command!r})")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _Anything(spec.name)
        for name, value in OVERRIDES.get(spec.name, {}).items():
            setattr(module, name, value)
        return module

    def exec_module(self, module):
        pass


def install():
    sys.meta_path.insert(0, _Finder())
    os.system = _no_shell  # YOLOv5 would pip-install a missing package
