//! Stack files of the demo (`GET /api/stacks/{id}/file` returns the entry point).

pub const WEB_FRONTEND: &str = r#"services:
  web:
    image: nginx:1.27-alpine
    ports:
      - "8080:80"
    volumes:
      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro
    depends_on:
      - app
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost/healthz"]
      interval: 30s
      timeout: 5s
      retries: 3
    restart: unless-stopped

  app:
    image: ghcr.io/acme/web-frontend:2.4.1
    environment:
      NODE_ENV: production
      API_URL: ${API_URL}
      SESSION_SECRET: ${SESSION_SECRET}
      LOG_LEVEL: ${LOG_LEVEL:-info}
      REDIS_URL: redis://redis:6379/0
    depends_on:
      - redis
    restart: unless-stopped

  worker:
    image: ghcr.io/acme/web-frontend:2.4.1
    command: ["node", "dist/worker.js"]
    tty: true
    environment:
      REDIS_URL: redis://redis:6379/0
    restart: unless-stopped

  redis:
    image: redis:7.2-alpine
    command: ["redis-server", "--appendonly", "yes"]
    volumes:
      - redis-data:/data
    restart: unless-stopped

volumes:
  redis-data:
"#;

pub const MONITORING: &str = r#"services:
  prometheus:
    image: prom/prometheus:v2.53.0
    command:
      - --config.file=/etc/prometheus/prometheus.yml
      - --storage.tsdb.retention.time=${RETENTION}
    ports:
      - "9090:9090"
    volumes:
      - ./prometheus.yml:/etc/prometheus/prometheus.yml:ro
      - prometheus-data:/prometheus
    restart: unless-stopped

  grafana:
    image: grafana/grafana:11.1.0
    ports:
      - "3000:3000"
    environment:
      GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD}
      GF_SERVER_ROOT_URL: https://grafana.acme.example
    volumes:
      - grafana-data:/var/lib/grafana
    healthcheck:
      test: ["CMD-SHELL", "wget -qO- http://localhost:3000/api/health || exit 1"]
      interval: 30s
    restart: unless-stopped

  node-exporter:
    image: prom/node-exporter:v1.8.1
    command: ["--path.rootfs=/host"]
    pid: host
    volumes:
      - /:/host:ro,rslave
    restart: unless-stopped

volumes:
  prometheus-data:
  grafana-data:
"#;

pub const DB_ADMIN: &str = r#"services:
  postgres:
    image: postgres:16.3
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ${DB_PASSWORD}
      POSTGRES_DB: app
    volumes:
      - pg-data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U app"]
      interval: 10s
    restart: unless-stopped

  adminer:
    image: adminer:4.8.1
    ports:
      - "8081:8080"
    environment:
      ADMINER_DESIGN: ${ADMINER_DESIGN}
    depends_on:
      - postgres
    restart: unless-stopped

volumes:
  pg-data:
"#;

pub const CAROL_SANDBOX: &str = r#"services:
  notebook:
    image: jupyter/base-notebook:2024-05-27
    ports:
      - "8888:8888"
    environment:
      JUPYTER_TOKEN: ${JUPYTER_TOKEN}
    volumes:
      - notebooks:/home/jovyan/work

  shell:
    image: alpine:3.20
    command: ["sh"]
    stdin_open: true
    tty: true

volumes:
  notebooks:
"#;

pub const LEGACY_APP: &str = r#"version: "2.4"
services:
  php:
    image: php:7.4-apache
    ports:
      - "8082:80"
    environment:
      DB_HOST: mysql
      DB_PASSWORD: ${DB_PASSWORD}
    volumes:
      - ./src:/var/www/html
    restart: always

  mysql:
    image: mysql:5.7
    environment:
      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}
      MYSQL_DATABASE: legacy
    volumes:
      - mysql-data:/var/lib/mysql
    restart: always

  cron:
    image: php:7.4-cli
    command: ["php", "/app/cron.php"]
    volumes:
      - ./src:/app

volumes:
  mysql-data:
"#;

pub const API_GATEWAY: &str = r#"version: "3.8"
services:
  traefik:
    image: traefik:v3.1
    command:
      - --providers.swarm=true
      - --entrypoints.web.address=:80
      - --entrypoints.websecure.address=:443
    ports:
      - "80:80"
      - "443:443"
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
    deploy:
      replicas: 2
      placement:
        constraints: [node.role == manager]

  auth:
    image: ghcr.io/acme/auth-service:1.9.0
    environment:
      JWT_SIGNING_KEY: ${JWT_SIGNING_KEY}
      OIDC_CLIENT_SECRET: ${OIDC_CLIENT_SECRET}
      LOG_LEVEL: info
    deploy:
      replicas: 2
      labels:
        - traefik.http.routers.auth.rule=PathPrefix(`/auth`)
"#;

pub const PAYMENTS: &str = r#"version: "3.8"
services:
  api:
    image: ghcr.io/acme/payments-api:3.2.0
    ports:
      - "8443:8443"
    environment:
      DATABASE_URL: postgres://payments:${DB_PASSWORD}@pg.internal:5432/payments
      STRIPE_API_KEY: ${STRIPE_API_KEY}
    deploy:
      replicas: 3
      update_config:
        parallelism: 1
        order: start-first

  worker:
    image: ghcr.io/acme/payments-worker:3.2.0
    environment:
      DATABASE_URL: postgres://payments:${DB_PASSWORD}@pg.internal:5432/payments
    deploy:
      replicas: 1
"#;

pub const STAGING_WEB: &str = r#"services:
  web:
    image: nginx:1.27-alpine
    ports:
      - "80:80"
    depends_on:
      - app

  app:
    image: ghcr.io/acme/web-frontend:2.5.0-rc.2
    environment:
      NODE_ENV: staging
      API_URL: ${API_URL}
      SESSION_SECRET: ${SESSION_SECRET}
"#;

pub const EDGE_COLLECTOR: &str = r#"services:
  collector:
    image: otel/opentelemetry-collector-contrib:0.104.0
    command: ["--config=/etc/otelcol/config.yaml"]
    environment:
      UPSTREAM_ENDPOINT: ${UPSTREAM_ENDPOINT}
      UPSTREAM_API_KEY: ${UPSTREAM_API_KEY}
    restart: unless-stopped

  mqtt:
    image: eclipse-mosquitto:2.0.18
    ports:
      - "1883:1883"
    restart: unless-stopped
"#;

pub const K8S_DEMO: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo-web
  namespace: demo
  labels:
    app: demo-web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demo-web
  template:
    metadata:
      labels:
        app: demo-web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/demo-web:1.3.0
          ports:
            - containerPort: 8080
          env:
            - name: FEATURE_FLAGS
              value: "checkout-v2"
---
apiVersion: v1
kind: Service
metadata:
  name: demo-web
  namespace: demo
spec:
  selector:
    app: demo-web
  ports:
    - port: 80
      targetPort: 8080
"#;

pub const OLD_REPORTS: &str = r#"services:
  reports:
    image: ghcr.io/acme/reports:0.9.3
    environment:
      SMTP_HOST: smtp.acme.example
      SMTP_PASSWORD: ${SMTP_PASSWORD}
      CRON_SCHEDULE: "0 6 * * 1"
"#;

pub const LAB_WIKI: &str = r#"services:
  wiki:
    image: requarks/wiki:2.5
    ports:
      - "3001:3000"
    environment:
      DB_TYPE: sqlite
      DB_FILEPATH: /wiki/data/db.sqlite
      ADMIN_EMAIL: ${ADMIN_EMAIL}
    volumes:
      - wiki-data:/wiki/data
    restart: unless-stopped

volumes:
  wiki-data:
"#;

/// A small compose file for generated (`--scale`) stacks. A swarm one declares its version:
/// the docker CLI 20.10 that Portainer 2.19 runs refuses a stack file without one.
pub fn generated_compose(name: &str, image: &str, swarm: bool) -> String {
    let version = if swarm { "version: \"3.8\"\n" } else { "" };
    format!(
        "{version}services:\n  app:\n    image: {image}\n    environment:\n      SERVICE_NAME: {name}\n      DB_PASSWORD: ${{DB_PASSWORD}}\n    restart: unless-stopped\n\n  db:\n    image: postgres:16.3\n    environment:\n      POSTGRES_PASSWORD: ${{DB_PASSWORD}}\n"
    )
}

/// A small manifest for generated kubernetes stacks.
pub fn generated_manifest(name: &str, namespace: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/{name}:1.0.0\n"
    )
}
