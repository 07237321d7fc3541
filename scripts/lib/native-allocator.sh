# Sourced by scripts/geolightning, scripts/setup and the benchmarks that run networks: sets native_preload to the
# malloc that libtorch should run on, for `env LD_PRELOAD="$native_preload" java ...` (empty: glibc's own).
# libtorch allocates and frees every activation of every step (tens of MB a batch) with the C library's malloc;
# glibc's hands big blocks back to the kernel with munmap and takes them again with mmap, so each step pays page
# faults on fresh memory (20 batches of ResNet-18 inference: ~350,000 faults, ~100,000 with tcmalloc). gperftools'
# tcmalloc keeps freed spans for the next step: measured here, ResNet-18 64 px batch 64 inference +10-19 %, training
# +0-15 % (scripts/bench-vs-pytorch; PyTorch's CPU performance guide recommends the same). Debian's
# libtcmalloc-minimal4, installed by scripts/setup; used when present. GEOLIGHTNING_MALLOC=system keeps glibc's
# malloc; an LD_PRELOAD you set is kept after it.
# tcmalloc_lib: this machine's libtcmalloc_minimal.so.4 (Debian's multiarch folder for this CPU, never another
# architecture's), empty when not installed; scripts/setup installs the package when this finds none
tcmalloc_lib=
for _lib in "/usr/lib/$(uname -m)-linux-gnu/libtcmalloc_minimal.so.4" /usr/lib64/libtcmalloc_minimal.so.4 \
    /usr/lib/libtcmalloc_minimal.so.4; do
  if [ -r "$_lib" ]; then tcmalloc_lib="$_lib"; break; fi
done
unset _lib
native_preload="${LD_PRELOAD:-}"
if [ -n "$tcmalloc_lib" ] && [ "${GEOLIGHTNING_MALLOC:-tcmalloc}" != system ]; then
  native_preload="$tcmalloc_lib${native_preload:+:$native_preload}"
  # tcmalloc reports every allocation over 1 GB on stderr ("tcmalloc: large alloc ..."); a large raster window is not
  # news
  export TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD="${TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD:-1099511627776}"
fi
