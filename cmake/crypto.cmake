# crypto: the verifiable ballots (docs/verifiable.md) — ristretto255 over libdecaf (libdecaf-dev), hashes,
# randomness and the box from libsodium. A layer of its own below the core: it decides nothing about the
# session, it only makes and checks encryptions and proofs.
find_path(DECAF_INCLUDE_DIR decaf/point_255.h PATH_SUFFIXES decaf REQUIRED)
find_library(DECAF_LIBRARY decaf REQUIRED)
find_package(Threads REQUIRED) # the dlog tables kept for the process (dlog.c)

add_library(ys_crypto STATIC
  src/crypto/group.c
  src/crypto/proof.c
  src/crypto/orproof.c
  src/crypto/msm.c
  src/crypto/key.c
  src/crypto/trustee.c
  src/crypto/decrypt.c
  src/crypto/dlog.c
  src/crypto/vote.c
  src/crypto/ballot.c
  src/crypto/check.c
  src/crypto/audit.c
  src/crypto/mix.c
  src/crypto/mix_json.c
)
target_include_directories(ys_crypto PUBLIC include ${DECAF_INCLUDE_DIR} PRIVATE src)
# The core decides with what src/crypto checks, and src/crypto reports errors and allocates through the
# core's one error table and allocator: the two static libraries link each other.
target_link_libraries(ys_crypto PUBLIC ys_core ${DECAF_LIBRARY} PkgConfig::SODIUM PkgConfig::JANSSON Threads::Threads)
target_link_libraries(ys_core PUBLIC ys_crypto)

# tests/vectors/ballots.json: made by this program from fixed seeds; test_vballot compares it byte for byte.
add_executable(vballot_vectors EXCLUDE_FROM_ALL tests/vectors/gen_ballots.c tests/vectors/ballots_gen.c)
target_include_directories(vballot_vectors PRIVATE src tests/vectors)
target_link_libraries(vballot_vectors PRIVATE ys_crypto)

# Not a test: `cmake --build DIR --target bench_vkey` (bench/RESULTS.md).
add_executable(bench_vkey EXCLUDE_FROM_ALL bench/bench_vkey.c)
target_include_directories(bench_vkey PRIVATE src)
target_link_libraries(bench_vkey PRIVATE ys_crypto)

# Not a test: `cmake --build DIR --target bench_vballot && DIR/bench_vballot` (bench/RESULTS.md).
add_executable(bench_vballot EXCLUDE_FROM_ALL bench/bench_vballot.c)
target_include_directories(bench_vballot PRIVATE src)
target_link_libraries(bench_vballot PRIVATE ys_crypto)
