# SCR Assistant as a container: the same app and start command as on App Service.
#   docker build -t scr-assistant .
#   docker run -p 8000:8000 -v scr-data:/data --stop-timeout 190
#     -e MicrosoftAppId=... -e MicrosoftAppType=UserAssignedMSI ... scr-assistant   (one command)
# Without MicrosoftAppId the app refuses to listen beyond localhost (local mode has no
# authentication), so a container always runs registered. tests/test_container.py checks this file.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Locked runtime dependencies, each checked against its hash; a separate layer, rebuilt only
# when the lock changes.
COPY requirements.lock ./
RUN python -m pip install --require-hashes --no-deps -r requirements.lock

# A user of its own, owning only the data directory; the code stays root's and read-only to it.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin scr \
    && mkdir /data && chown scr /data && chmod 700 /data

COPY . .

USER scr
ENV HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8000

# Ready means the store answers and the mail worker and reminder loop run (GET /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['PORT'] + '/readyz', timeout=4)"]

# docker stop sends SIGTERM: the app finishes the turns and email sends under way, then exits
# (given the time: docker's default is 10 s, hence --stop-timeout above).
STOPSIGNAL SIGTERM
CMD ["python", "app.py"]
