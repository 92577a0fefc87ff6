# syntax=docker/dockerfile:1
# orr in a container: `docker run --rm -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY
# -e AWS_SESSION_TOKEN -e AWS_REGION ghcr.io/OWNER/orr audit`, or on Kubernetes / AWS Batch
# with the pod's or job's role (examples/kubernetes, examples/aws-batch).
#
# Three build stages so a change to orr's own code rebuilds orr only: cargo-chef turns the
# manifests into a recipe, the dependencies (the 35 AWS SDK crates, about 85 % of the build)
# are compiled from the recipe alone into their own cached layer, and only then is src/ copied.
# PROFILE=dist is what the release workflow builds (Cargo.toml [profile.dist]); the default
# `release` is what `cargo install` builds, and is quicker for a local image.

ARG RUST_VERSION=1.95
ARG PROFILE=release

FROM rust:${RUST_VERSION}-slim-bookworm AS chef
# cargo-chef is pinned: the recipe format is its own.
RUN cargo install --locked cargo-chef --version 0.1.78
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
ARG PROFILE
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --locked --profile "${PROFILE}" --bin orr --recipe-path recipe.json
COPY . .
RUN cargo build --locked --profile "${PROFILE}" --bin orr \
    && cp "target/$([ "${PROFILE}" = dev ] && echo debug || echo "${PROFILE}")/orr" /orr

# distroless/cc: glibc and libgcc (the binary links them; the builder's Debian 12 has the
# same glibc 2.36), the Mozilla CA bundle the SDK's TLS (rustls) verifies AWS against, no
# shell and no package manager. It runs as the image's nonroot user, uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /orr /usr/local/bin/orr
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/local/bin/orr"]
CMD ["--help"]
