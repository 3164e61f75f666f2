"""Builds scalelaw's Python package: the pure-Python files from python/scalelaw and the compiled module
scalelaw._scalelaw, which CMake builds (target _scalelaw of python/CMakeLists.txt) with the interpreter running
this script. The metadata is in pyproject.toml; this file only drives CMake.

Environment: CMAKE (the cmake executable, default "cmake" on PATH), CMAKE_ARGS (extra configure arguments),
CMAKE_BUILD_PARALLEL_LEVEL (parallel jobs, default the number of CPUs), CMAKE_GENERATOR (default Ninja when
installed).

Everything setuptools and CMake write goes under build-py/ (egg-info, wheel staging, the CMake build tree), never
under build/, which is the CMake preset's build folder.
"""

import glob
import importlib.machinery
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
BUILD_BASE = "build-py"


def read_version():
    text = (ROOT / "include" / "scalelaw" / "version.h").read_text(encoding="utf-8")
    match = re.search(r'kVersion\s*=\s*"([^"]+)"', text)
    if not match:
        raise RuntimeError("no kVersion in include/scalelaw/version.h")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension module that CMake builds (no sources for setuptools to compile)."""

    def __init__(self, name, target):
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        if not isinstance(ext, CMakeExtension):
            return super().build_extension(ext)
        cmake = os.environ.get("CMAKE", "cmake")
        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)

        configure = [
            cmake, "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=" + ("Debug" if self.debug else "Release"),
            "-DSCALELAW_BUILD_CLI=OFF",
            "-DSCALELAW_BUILD_TESTS=OFF",
            "-DSCALELAW_BUILD_PYTHON=ON",
            "-DSCALELAW_INSTALL=OFF",
            "-DPython_EXECUTABLE=" + sys.executable,
        ]
        if not os.environ.get("CMAKE_GENERATOR") and not (build_dir / "CMakeCache.txt").exists() \
                and shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        build = [cmake, "--build", str(build_dir), "--target", ext.target, "--parallel", jobs,
                 "--config", "Debug" if self.debug else "Release"]  # --config: multi-config generators

        for command in (configure, build):
            print(" ".join(shlex.quote(c) for c in command), flush=True)
            subprocess.run(command, check=True)

        # python/CMakeLists.txt puts the module in <build>/python/scalelaw/ (next to copies of the .py files,
        # which setuptools takes from the source tree instead).
        built = [path for suffix in importlib.machinery.EXTENSION_SUFFIXES
                 for path in glob.glob(str(build_dir / "python" / "scalelaw" / ("_scalelaw" + suffix)))]
        if not built:
            raise RuntimeError(f"CMake built no _scalelaw module in {build_dir / 'python' / 'scalelaw'}")
        destination = Path(self.get_ext_fullpath(ext.name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], destination)


# egg_info wants its folder to exist already.
os.makedirs(BUILD_BASE, exist_ok=True)

setup(
    version=read_version(),
    ext_modules=[CMakeExtension("scalelaw._scalelaw", target="_scalelaw")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": BUILD_BASE}, "egg_info": {"egg_base": BUILD_BASE}},
    zip_safe=False,
)
