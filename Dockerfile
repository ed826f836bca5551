# Build stage: compile the release binary (SQLite is compiled in; TLS is rustls).
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY migrations migrations
COPY locales locales
# Cargo.toml names the benchmark target, so its file must be present to build at all.
COPY benches benches
RUN cargo build --release --locked

# Runtime stage: the binary alone, a non-root user, the database on a volume.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data --uid 10001 pelekan \
    && mkdir -p /data && chown pelekan /data
COPY --from=build /src/target/release/pelekan /usr/local/bin/pelekan
USER pelekan
VOLUME ["/data"]
ENV DATABASE_URL=sqlite:///data/pelekan.db \
    RUST_LOG=info,sqlx=warn
ENTRYPOINT ["pelekan"]
CMD ["run"]
