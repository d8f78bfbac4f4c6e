#!/usr/bin/env bash
# The checks CI runs: .ci/run on this kind of machine and .github/workflows/ci.yml on GitHub Actions both run this file.
# Install exactly what the lockfile says, make sure the services the tests need are up, then run the same checks a
# developer runs (README: "npm test").
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "::group::install"
npm ci --no-audit --no-fund
echo "::endgroup::"

# Every runtime dependency's licence must be listed (docs/dependency-licenses.md) and compatible with the AGPL.
echo "::group::licences"
npm run licenses -- --check
echo "::endgroup::"

# Redis backs the storage contract suite and the cross-instance config tests; this kind of machine
# starts it before each session, but start it here if it is not answering.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
	echo "Redis is not answering on 127.0.0.1:6379; starting it"
	mkdir -p /var/lib/redis /var/log/redis
	redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
	for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping

# The monitoring test (tests/integration/deploy/monitoring.test.ts) runs promtool and amtool on deploy/; with CI set it fails
# without them. Debian's packages would also start Prometheus (port 9090) and Alertmanager (9093, 9094), which nothing here
# needs: a policy-rc.d answering 101 ("action forbidden") keeps their postinst from starting them, and the services are
# stopped and disabled after the install in case the machine started them anyway.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! command -v promtool >/dev/null 2>&1 || ! command -v amtool >/dev/null 2>&1; then
	echo "::group::promtool and amtool"
	as_root=()
	[ "$(id -u)" -eq 0 ] || as_root=(sudo)
	policy_added=false
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
		"${as_root[@]}" chmod 755 /usr/sbin/policy-rc.d
		policy_added=true
	fi
	install_monitoring() {
		"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus prometheus-alertmanager
	}
	started=$SECONDS
	# The package lists are refreshed only when they do not know the packages, or name files the mirror no longer has.
	if ! apt-cache show prometheus prometheus-alertmanager >/dev/null 2>&1 || ! install_monitoring; then
		"${as_root[@]}" apt-get update
		install_monitoring
	fi
	if [ "$policy_added" = true ]; then "${as_root[@]}" rm -f /usr/sbin/policy-rc.d; fi
	for service in prometheus prometheus-alertmanager; do
		if [ -d /run/systemd/system ]; then
			"${as_root[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
		elif command -v service >/dev/null 2>&1; then
			"${as_root[@]}" service "$service" stop >/dev/null 2>&1 || true
		fi
	done
	echo "promtool and amtool installed in $((SECONDS - started)) s"
	for port in 9090 9093 9094; do
		if port_in_use "$port"; then
			echo "::warning::port $port is still in use after stopping Prometheus and Alertmanager"
			ss -ltnp "sport = :$port" 2>/dev/null || true
		fi
	done
	echo "::endgroup::"
fi
promtool --version 2>&1 | sed -n 1p
amtool --version 2>&1 | sed -n 1p

# The watch-together browser tests (tests/e2e/watch-together-browser.e2e.test.ts) drive Debian's Chromium through
# playwright-core, which downloads no browser of its own; install it when it is missing.
if [ ! -x /usr/bin/chromium ]; then
	echo "::group::chromium"
	as_root=()
	[ "$(id -u)" -eq 0 ] || as_root=(sudo)
	install_chromium() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
	started=$SECONDS
	# The package lists are refreshed only when they do not know the package, or name files the mirror no longer has.
	if ! apt-cache show chromium >/dev/null 2>&1 || ! install_chromium; then
		"${as_root[@]}" apt-get update
		install_chromium
	fi
	echo "chromium installed in $((SECONDS - started)) s"
	echo "::endgroup::"
fi
/usr/bin/chromium --version 2>&1 | sed -n 1p

export CI=true
npm run lint
npm run build
npm test
