# syntax=docker/dockerfile:1
# BASE_IMAGE: any Debian-based image with Python 3.11 and pip. Where no registry is reachable,
# deploy/container/standin-base.sh builds one from Debian packages (see README "Container image").
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# git >= 2.38 for `merge-tree --write-tree` (bookworm ships 2.39); bubblewrap: the /fix sandbox
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates bubblewrap \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 pitcrew

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir ".[redis]" && rm -rf /root/.cache

RUN mkdir -p /data && chown pitcrew /data
USER pitcrew
ENV PITCREW_DATA_DIR=/data PITCREW_PORT=8000 PYTHONUNBUFFERED=1 PITCREW_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1
ENTRYPOINT ["pitcrew"]
CMD ["serve"]
