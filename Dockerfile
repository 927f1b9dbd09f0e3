# Hạn Chót in a container: built in a Rust image, run in a slim Debian one as a non-root user,
# the database in /data. Build: docker build -t hanchot .   Run: see docker-compose.yml and the
# README ("Deploy").

# --- build ---------------------------------------------------------------------------------------
FROM rust:1.89-slim-bookworm AS build
WORKDIR /src

# The dependencies first, in a layer of their own: it is rebuilt only when Cargo.toml or
# Cargo.lock change, not at every change of the bot's code.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src tests/bench \
    && echo 'fn main() {}' > src/build.rs \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs tests/bench/hanchot.rs tests/crash.rs \
    && cargo build --release --locked --bin hanchot \
    && rm -rf src target/release/.fingerprint/hanchot-* target/release/deps/hanchot-* target/release/deps/libhanchot-*

# Then the bot: its code and what it embeds at compile time (seeds, migrations, lexicon, font).
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY lexicon ./lexicon
COPY assets ./assets
RUN cargo build --release --locked --bin hanchot \
    && install -D target/release/hanchot /out/hanchot \
    && mkdir -p /out/data

# --- run -----------------------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin hanchot
COPY --from=build /out/hanchot /usr/local/bin/hanchot
COPY --from=build --chown=10001:10001 /out/data /data
COPY config/default.toml /etc/hanchot/config.toml

# The token comes from the environment at run time (TELOXIDE_TOKEN), never from the image.
ENV HANCHOT_DATABASE_URL=sqlite:///data/hanchot.db \
    HANCHOT_LISTEN=0.0.0.0:8080 \
    RUST_LOG=info
USER 10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["hanchot", "--config", "/etc/hanchot/config.toml", "healthcheck"]
ENTRYPOINT ["hanchot", "--config", "/etc/hanchot/config.toml"]
CMD ["serve"]
