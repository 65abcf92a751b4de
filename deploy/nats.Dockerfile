# NATS JetStream server for Plenary, from the nats-server module pinned in go.mod, on an
# empty base. The build context is a directory holding the binary built with
#   CGO_ENABLED=0 go build -trimpath -o nats-server github.com/nats-io/nats-server/v2
# an empty directory named data, and nats.conf: `make images` prepares it (bin/image/nats).
FROM scratch
COPY nats-server /nats-server
COPY nats.conf /etc/nats/nats.conf
# JetStream's file store; mount a volume here so the PLENARY stream survives a restart.
COPY --chown=65532:65532 data /data
USER 65532:65532
EXPOSE 4222 8222
ENTRYPOINT ["/nats-server"]
CMD ["--config", "/etc/nats/nats.conf"]
