"""Start, stop and inspect one real Apache Kafka broker (KRaft, broker+controller) on loopback.

The jars come from Maven Central through `deploy/local-kafka/pom.xml` (kafka_2.13 alone plus an
SLF4J binding); Maven caches them in ~/.m2 and we cache the resolved classpath per descriptor.
State lives under `<home>/broker/`: server.properties, the KRaft log dirs, broker.log and
state.json (pid, ports, bootstrap address). `stop` only signals the pid recorded there, and only
if that process is still the `kafka.Kafka` we started with that configuration.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from streams import run_cache
from streams.broker.errors import BrokerError, MissingToolError
from streams.settings import default_home

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POM = PROJECT_ROOT / "deploy" / "local-kafka" / "pom.xml"

INSTALL_HINT = (
    "The local Kafka broker needs Java 17+ and Maven (Debian: `apt-get install openjdk-17-jre-headless maven`). "
    "Without them, run Kafka with `docker compose up` instead, or point newsroom at an existing cluster "
    "with KAFKA_BOOTSTRAP_SERVERS=host:port."
)

# Settings for a single-node cluster. Everything a one-node broker cannot satisfy with the defaults
# (replication 3 for internal topics) is set to 1; the rest is kept at Kafka's defaults.
SINGLE_NODE_SETTINGS = {
    "process.roles": "broker,controller",
    "node.id": "1",
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "offsets.topic.replication.factor": "1",
    "offsets.topic.num.partitions": "8",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "transaction.state.log.num.partitions": "8",
    "share.coordinator.state.topic.replication.factor": "1",
    "share.coordinator.state.topic.min.isr": "1",
    "group.initial.rebalance.delay.ms": "0",
    "num.partitions": "4",
    "default.replication.factor": "1",
    "min.insync.replicas": "1",
    "auto.create.topics.enable": "true",
    # Pages can be megabytes and dead letters carry them base64-encoded: broker, topic, producer
    # and consumer limits agree on this one number (streams.settings.MAX_MESSAGE_BYTES).
    "message.max.bytes": str(64 * 1024 * 1024),
    "replica.fetch.max.bytes": str(64 * 1024 * 1024),
    "socket.request.max.bytes": str(128 * 1024 * 1024),
    "log.retention.hours": "168",
}


@dataclass
class BrokerInfo:
    pid: int
    bootstrap: str
    port: int
    controller_port: int
    kafka_version: str
    home: str
    log: str
    started_at: float
    sasl_bootstrap: str | None = None  # SASL_PLAINTEXT listener (PLAIN, SCRAM-SHA-512), when users were given
    tls_bootstrap: str | None = None  # SSL listener, when tls was asked for
    sasl_tls_bootstrap: str | None = None  # SASL_SSL listener, with both
    tls_ca: str | None = None  # PEM of the broker's self-signed certificate, for clients to trust

    def describe(self) -> str:
        return f"Kafka {self.kafka_version} up at {self.bootstrap} (pid {self.pid}, log {self.log})"


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_is_free(port: int) -> bool:
    """Free for a server to listen on: like Kafka's own sockets, SO_REUSEADDR lets a port whose
    last connections linger in TIME_WAIT (a broker just stopped) count as free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _kafka_cluster_id() -> str:
    """A Kafka Uuid: 16 random bytes, URL-safe base64 without padding (what StorageTool random-uuid prints)."""
    while True:
        raw = uuid.uuid4().bytes
        text = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        if not text.startswith("-"):  # a leading dash would read as a command-line flag
            return text


def _require_tools() -> tuple[str, str]:
    java = shutil.which("java")
    mvn = shutil.which("mvn")
    missing = [name for name, path in (("java", java), ("mvn", mvn)) if not path]
    if missing:
        raise MissingToolError(f"{' and '.join(missing)} not found on PATH. {INSTALL_HINT}")
    out = subprocess.run([java, "-version"], capture_output=True, text=True)
    text = out.stderr + out.stdout
    version = text.split('"')[1] if '"' in text else ""
    major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
    if major and major < 17:
        raise MissingToolError(f"Java {version} found; Kafka 4 needs Java 17 or newer. {INSTALL_HINT}")
    return java, mvn


def kafka_version(pom: Path = DEFAULT_POM) -> str:
    text = pom.read_text(encoding="utf-8")
    start = text.index("<kafka.version>") + len("<kafka.version>")
    return text[start : text.index("</kafka.version>")].strip()


def resolve_classpath(pom: Path = DEFAULT_POM, *, log=print) -> str:
    """Resolve the broker's jars with Maven (cached in ~/.m2) and return the Java classpath."""
    _, mvn = _require_tools()
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:16]
    # the run cache's folder (streams/run_cache.py); a user without a home resolves into a temporary one
    cache_dir = run_cache.folder() or Path(tempfile.gettempdir()) / "newsroom-streams"
    cached = cache_dir / f"kafka-classpath-{digest}.txt"
    if cached.exists():
        classpath = cached.read_text().strip()
        if classpath and all(Path(p).exists() for p in classpath.split(os.pathsep)):
            return classpath
    cache_dir.mkdir(parents=True, exist_ok=True)
    log(f"resolving Kafka {kafka_version(pom)} from Maven Central (first run only) ...")
    tmp = cached.with_suffix(".tmp")
    proc = subprocess.run(
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(pom),
            "dependency:build-classpath",
            f"-Dmdep.outputFile={tmp}",
            "-Dmdep.includeScope=runtime",
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not tmp.exists():
        raise BrokerError(f"Maven could not resolve {pom}:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    tmp.replace(cached)
    return cached.read_text().strip()


async def _probe(bootstrap: str, timeout: float) -> None:
    """One real Kafka round trip: bootstrap, then a Metadata request for the cluster."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(admin.start(), timeout)
        await asyncio.wait_for(admin.describe_cluster(), timeout)
    finally:
        await admin.close()


def wait_until_ready(bootstrap: str, *, timeout: float = 90.0, is_alive=lambda: True) -> float:
    """Block until the broker answers a Metadata request; return the seconds it took."""
    import logging

    started = time.monotonic()
    last_error: Exception | None = None
    quiet = logging.getLogger("aiokafka")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # refused connections while the JVM starts are expected
    try:
        while time.monotonic() - started < timeout:
            if not is_alive():
                raise BrokerError("the broker process exited while starting")
            try:
                asyncio.run(_probe(bootstrap, 5.0))
                return time.monotonic() - started
            except Exception as exc:  # noqa: BLE001 - any failure means "not ready yet"
                last_error = exc
                time.sleep(0.5)
    finally:
        quiet.setLevel(level)
    raise BrokerError(f"Kafka at {bootstrap} did not answer within {timeout:.0f}s: {last_error!r}")


class LocalBroker:
    """One local Kafka broker whose files live under `home/broker`."""

    def __init__(
        self,
        home: Path | str,
        *,
        pom: Path = DEFAULT_POM,
        heap: str = "768m",
        sasl_users: dict[str, str] | None = None,
        tls: bool = False,
    ):
        """`sasl_users` adds a SASL_PLAINTEXT listener that accepts these users with PLAIN and
        SCRAM-SHA-512 (the SCRAM credentials are written when the storage is formatted).
        `tls` adds an SSL listener with a self-signed certificate made by the JDK's keytool
        (its PEM is `tls_ca` in the BrokerInfo); with both, a SASL_SSL listener too."""
        self.home = Path(home).resolve() / "broker"
        self.pom = pom
        self.heap = heap
        self.sasl_users = dict(sasl_users or {})
        self.tls = tls
        self.keystore = self.home / "broker-keystore.p12"
        self.ca_pem = self.home / "broker-ca.pem"
        self.keystore_password = "newsroom-local-" + hashlib.sha256(str(self.home).encode()).hexdigest()[:12]
        self.state_file = self.home / "state.json"
        self.properties = self.home / "server.properties"
        self.log_file = self.home / "broker.log"
        self.data_dir = self.home / "kraft-data"

    # -- state ---------------------------------------------------------------------------
    def info(self) -> BrokerInfo | None:
        """The running broker this home started, or None (a stale state file is removed)."""
        if not self.state_file.exists():
            return None
        try:
            info = BrokerInfo(**json.loads(self.state_file.read_text()))
        except (ValueError, TypeError):
            return None
        if _pid_alive(info.pid) and self._is_ours(info.pid):
            return info
        self.state_file.unlink(missing_ok=True)
        return None

    def _is_ours(self, pid: int) -> bool:
        cmd = _cmdline(pid)
        return "kafka.Kafka" in cmd and str(self.properties) in cmd

    # -- start -----------------------------------------------------------------------------
    def start(self, *, timeout: float = 120.0, log=print) -> BrokerInfo:
        running = self.info()
        if running:
            log(f"already running: {running.describe()}")
            return running
        java, _ = _require_tools()
        classpath = resolve_classpath(self.pom, log=log)
        self.home.mkdir(parents=True, exist_ok=True)
        port, controller_port, sasl_port, tls_port, sasl_tls_port = self._ports()
        if self.tls:
            self._make_certificate(java)
        self._write_properties(port, controller_port, sasl_port, tls_port, sasl_tls_port)
        if not (self.data_dir / "meta.properties").exists():
            self._format(java, classpath)
        env = dict(os.environ)
        cmd = [
            java,
            f"-Xmx{self.heap}",
            "-Xms128m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-cp",
            classpath,
            "kafka.Kafka",
            str(self.properties),
        ]
        with open(self.log_file, "ab") as out:
            proc = subprocess.Popen(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
                cwd=self.home,
            )
        bootstrap = f"127.0.0.1:{port}"
        info = BrokerInfo(
            pid=proc.pid,
            bootstrap=bootstrap,
            port=port,
            controller_port=controller_port,
            kafka_version=kafka_version(self.pom),
            home=str(self.home),
            log=str(self.log_file),
            started_at=time.time(),
            sasl_bootstrap=f"127.0.0.1:{sasl_port}" if self.sasl_users else None,
            tls_bootstrap=f"127.0.0.1:{tls_port}" if self.tls else None,
            sasl_tls_bootstrap=f"127.0.0.1:{sasl_tls_port}" if self.tls and self.sasl_users else None,
            tls_ca=str(self.ca_pem) if self.tls else None,
        )
        self.state_file.write_text(json.dumps(asdict(info), indent=2))
        try:
            took = wait_until_ready(bootstrap, timeout=timeout, is_alive=lambda: proc.poll() is None)
        except BrokerError as exc:
            self._terminate(proc.pid)
            self.state_file.unlink(missing_ok=True)
            raise BrokerError(f"{exc}\n--- last lines of {self.log_file} ---\n{self.tail_log()}") from None
        log(f"Kafka {info.kafka_version} ready at {bootstrap} after {took:.1f}s (pid {proc.pid})")
        return info

    def _ports(self) -> tuple[int | None, ...]:
        """(port, controller, sasl, tls, sasl_tls): the ones this broker listens on, the others None.

        A restart reuses the ports of the earlier run when they are free, so that the broker keeps
        its address (clients, and the KRaft log, remember it); otherwise new free ones."""
        names = ["port", "controller_port"]
        names += ["sasl_port"] if self.sasl_users else []
        names += ["tls_port"] if self.tls else []
        names += ["sasl_tls_port"] if self.tls and self.sasl_users else []
        saved = self.home / "ports.json"
        ports = json.loads(saved.read_text()) if saved.exists() else {}
        if not all(name in ports and _port_is_free(ports[name]) for name in names):
            chosen: list[int] = []
            while len(chosen) < len(names):
                port = free_port()
                if port not in chosen:
                    chosen.append(port)
            ports = dict(zip(names, chosen))
            saved.write_text(json.dumps(ports))
        return tuple(ports.get(name) for name in ("port", "controller_port", "sasl_port", "tls_port", "sasl_tls_port"))

    def _write_properties(
        self,
        port: int,
        controller_port: int,
        sasl_port: int | None = None,
        tls_port: int | None = None,
        sasl_tls_port: int | None = None,
    ) -> None:
        settings = dict(SINGLE_NODE_SETTINGS)
        extra: list[tuple[str, int]] = []  # (listener name = security protocol, port)
        if self.sasl_users and sasl_port:
            extra.append(("SASL_PLAINTEXT", sasl_port))
        if self.tls and tls_port:
            extra.append(("SSL", tls_port))
            if self.sasl_users and sasl_tls_port:
                extra.append(("SASL_SSL", sasl_tls_port))
        listeners = [f"PLAINTEXT://127.0.0.1:{port}", f"CONTROLLER://127.0.0.1:{controller_port}"]
        listeners += [f"{name}://127.0.0.1:{p}" for name, p in extra]
        advertised = [f"PLAINTEXT://127.0.0.1:{port}"] + [f"{name}://127.0.0.1:{p}" for name, p in extra]
        if extra:
            settings["listener.security.protocol.map"] = ",".join(
                ["CONTROLLER:PLAINTEXT", "PLAINTEXT:PLAINTEXT"] + [f"{name}:{name}" for name, _ in extra]
            )
        plain_users = " ".join(f'user_{user}="{password}"' for user, password in self.sasl_users.items())
        for name, _ in extra:
            lower = name.lower()
            if name.startswith("SASL"):
                settings["sasl.enabled.mechanisms"] = "PLAIN,SCRAM-SHA-512"
                settings[f"listener.name.{lower}.plain.sasl.jaas.config"] = (
                    f"org.apache.kafka.common.security.plain.PlainLoginModule required {plain_users};"
                )
                settings[f"listener.name.{lower}.scram-sha-512.sasl.jaas.config"] = (
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;"
                )
            if name.endswith("SSL"):
                settings.update(
                    {
                        f"listener.name.{lower}.ssl.keystore.location": str(self.keystore),
                        f"listener.name.{lower}.ssl.keystore.password": self.keystore_password,
                        f"listener.name.{lower}.ssl.key.password": self.keystore_password,
                        f"listener.name.{lower}.ssl.keystore.type": "PKCS12",
                    }
                )
        settings.update(
            {
                "listeners": ",".join(listeners),
                "advertised.listeners": ",".join(advertised),
                "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
                "log.dirs": str(self.data_dir),
            }
        )
        lines = ["# written by `newsroom broker start`; edit streams/broker/local.py instead"]
        lines += [f"{key}={value}" for key, value in settings.items()]
        self.properties.write_text("\n".join(lines) + "\n")

    def _make_certificate(self, java: str) -> None:
        """A self-signed certificate for 127.0.0.1/localhost, valid 30 days, made with keytool."""
        if self.keystore.exists() and self.ca_pem.exists():
            return
        keytool = str(Path(java).resolve().parent / "keytool")
        if not Path(keytool).exists():
            keytool = shutil.which("keytool") or "keytool"
        common = ["-storetype", "PKCS12", "-keystore", str(self.keystore), "-storepass", self.keystore_password]
        for cmd in (
            [
                keytool,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "30",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keypass",
                self.keystore_password,
                *common,
            ],
            [keytool, "-exportcert", "-rfc", "-alias", "broker", "-file", str(self.ca_pem), *common],
        ):
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise BrokerError(f"keytool failed: {proc.stdout[-1000:]}{proc.stderr[-1000:]}")

    def _format(self, java: str, classpath: str) -> None:
        scram = []
        for user, password in self.sasl_users.items():
            scram += ["--add-scram", f"SCRAM-SHA-512=[name={user},password={password}]"]
        proc = subprocess.run(
            [
                java,
                "-Xmx256m",
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                _kafka_cluster_id(),
                "-c",
                str(self.properties),
                "--ignore-formatted",
                *scram,
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise BrokerError(f"formatting KRaft storage failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")

    # -- stop --------------------------------------------------------------------------------
    def stop(self, *, timeout: float = 30.0, purge: bool = False, log=print) -> bool:
        """Stop the broker this home started. Returns False if none was running."""
        info = self.info()
        stopped = False
        if info:
            self._terminate(info.pid, timeout=timeout)
            log(f"stopped Kafka (pid {info.pid})")
            stopped = True
        self.state_file.unlink(missing_ok=True)
        if purge and self.home.exists():
            shutil.rmtree(self.data_dir, ignore_errors=True)
            (self.home / "ports.json").unlink(missing_ok=True)
        return stopped

    def kill(self) -> None:
        """SIGKILL the broker (fault tests); the data stays so that start() recovers it."""
        info = self.info()
        if info:
            os.killpg(info.pid, signal.SIGKILL)
            _wait_gone(info.pid, 10)

    @staticmethod
    def _terminate(pid: int, timeout: float = 30.0) -> None:
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if not _wait_gone(pid, timeout):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            _wait_gone(pid, 10)

    def tail_log(self, lines: int = 40) -> str:
        if not self.log_file.exists():
            return "(no log)"
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
            if done == pid:
                return True
        except ChildProcessError:
            pass
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    return False


def with_local_broker(env: dict | None = None) -> dict:
    """`env` (os.environ when None) with KAFKA_BOOTSTRAP_SERVERS set to the address of the local broker
    running under NEWSROOM_HOME, when it is unset and one runs: how the CLI finds the development broker."""
    env = dict(os.environ if env is None else env)
    if not (env.get("KAFKA_BOOTSTRAP_SERVERS") or "").strip():
        info = LocalBroker(Path(env.get("NEWSROOM_HOME") or default_home())).info()
        if info:
            env["KAFKA_BOOTSTRAP_SERVERS"] = info.bootstrap
    return env


if __name__ == "__main__":  # pragma: no cover - manual use: python -m streams.broker.local
    print(LocalBroker(default_home()).start().describe(), file=sys.stderr)
