"""The Python half of benches/compare.sh: makes the Vietnamese-style test certificates, times the
Python comparisons (each pair alternated in this one process), and turns every measurement into
a row of benches/RESULTS.md.

Rows are appended, one JSON object a line, to the file given by --rows; `report` writes the table.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import statistics
import subprocess
import time
from typing import Any, Callable, Dict, List, Sequence

ROW_KEYS = ("what", "us", "alternative", "ratio", "target", "verdict")


def add_row(rows: pathlib.Path, **row: Any) -> None:
    with rows.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


# --- Certificates --------------------------------------------------------------------------------

NAMES = [
    "CÔNG TY TNHH THƯƠNG MẠI SÀI GÒN",
    "CÔNG TY CỔ PHẦN XUẤT NHẬP KHẨU HÀ NỘI",
    "CÔNG TY TNHH MỘT THÀNH VIÊN ĐÀ NẴNG",
    "CÔNG TY CỔ PHẦN LOGISTICS CẦN THƠ",
]
PROVINCES = ["TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ"]


def tax_code(i: int) -> str:
    """A valid 10-digit tax code (MST) with its check digit."""
    weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
    while True:
        body = f"{(10_000_000 + i * 7919) % 1_000_000_000:09d}"
        check = 10 - sum(int(d) * w for d, w in zip(body, weights)) % 11
        if 0 <= check <= 9:
            return body + str(check)
        i += 1


def gen(out: pathlib.Path, count: int) -> None:
    """`count` leaf certificates issued by a Vietnamese-style CA: DER files plus one PEM bundle."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    out.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "VNPT Group"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "VNPT-CA Trust Network"),
            x509.NameAttribute(NameOID.COMMON_NAME, "VNPT Certification Authority"),
        ]
    )
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    pem = bytearray()
    for i in range(count):
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, PROVINCES[i % 4]),
                x509.NameAttribute(NameOID.COMMON_NAME, f"{NAMES[i % 4]} {i}"),
                x509.NameAttribute(NameOID.USER_ID, f"MST:{tax_code(i)}"),
                x509.NameAttribute(NameOID.USER_ID, f"CCCD:{79_000_000_000 + i:012d}"),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(leaf_key)
            .serial_number(0x5404FFFE00000000 + i * 0x1F3D)
            .not_valid_before(now - datetime.timedelta(days=30))
            .not_valid_after(now + datetime.timedelta(days=365 * 3))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        der = cert.public_bytes(serialization.Encoding.DER)
        (out / f"{i:05d}.der").write_bytes(der)
        pem += cert.public_bytes(serialization.Encoding.PEM)
    (out / "bundle.pem").write_bytes(bytes(pem))


def read_vnaccs(ders: Sequence[bytes]) -> None:
    import vnaccs

    for der in ders:
        c = vnaccs.Certificate.from_der(der)
        (c.serial, c.subject_cn, [v for _, v in c.identities], c.issuer_cn, c.not_before,
         c.not_after)


def read_cryptography(ders: Sequence[bytes]) -> None:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cn, uid = NameOID.COMMON_NAME, NameOID.USER_ID
    for der in ders:
        c = x509.load_der_x509_certificate(der)
        s = c.subject
        (c.serial_number, s.get_attributes_for_oid(cn)[0].value,
         [a.value for a in s.get_attributes_for_oid(uid)],
         c.issuer.get_attributes_for_oid(cn)[0].value, c.not_valid_before_utc,
         c.not_valid_after_utc)


def alternate(a: Callable[[], None], b: Callable[[], None], rounds: int) -> List[float]:
    """Median seconds of a and of b, run alternately `rounds` times (after one warm-up each)."""
    a(), b()
    ta: List[float] = []
    tb: List[float] = []
    for _ in range(rounds):
        for f, t in ((a, ta), (b, tb)):
            start = time.perf_counter()
            f()
            t.append(time.perf_counter() - start)
    return [statistics.median(ta), statistics.median(tb)]


def certs(args: argparse.Namespace) -> None:
    import cryptography
    import vnaccs

    ders = [p.read_bytes() for p in sorted(args.dir.glob("*.der"))]
    # Both sides must read the same values.
    c = vnaccs.Certificate.from_der(ders[0])
    assert c.identities and c.subject_cn and c.issuer_cn, c.to_dict()
    us, them = alternate(lambda: read_vnaccs(ders), lambda: read_cryptography(ders), args.rounds)
    n = len(ders)
    add_row(
        args.rows,
        what=f"reading a certificate from Python (serial, subject CN, UID values, issuer CN, "
        f"validity), per certificate over {n}",
        us=f"vnaccs.Certificate.from_der: {fmt_time(us / n)}",
        alternative=f"cryptography {cryptography.__version__} load_der_x509_certificate: "
        f"{fmt_time(them / n)}",
        ratio=f"{them / us:.2f}× faster" if us < them else f"{us / them:.2f}× slower",
        target="≥ 2× faster",
        verdict="met" if them / us >= 2 else "missed",
    )


def scale(args: argparse.Namespace) -> None:
    """Reading one PEM bundle of 10, 100, ... certificates (each bundle a prefix of the largest);
    linear when the CPU time per certificate at each step is within 1.5× of the step before.
    Judged on the process's CPU time (time.process_time: the reading runs on the calling thread),
    which waiting for a shared machine's cores does not inflate; the wall time is shown too."""
    import vnaccs

    bundle = (args.dir / "bundle.pem").read_bytes()
    end = b"-----END CERTIFICATE-----\n"
    blocks = [b + end for b in bundle.split(end) if b.strip()]
    figures = []
    for n in args.counts:
        data = b"".join(blocks[:n])
        rounds = max(5, min(50, 20_000 // n))
        walls, cpus = [], []
        for _ in range(rounds):
            cpu, start = time.process_time(), time.perf_counter()
            got = vnaccs.Certificate.from_pem(data)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            assert len(got) == n, (len(got), n)
            del got
        # The least disturbed run: the machine may be shared.
        figures.append((n, min(cpus), min(walls)))
    per = [cpu / n for n, cpu, _ in figures]
    steps = [b / a for a, b in zip(per, per[1:])]
    add_row(
        args.rows,
        what="certificate reading, one PEM bundle (Python vnaccs.Certificate.from_pem), "
        "CPU time total / per certificate (wall time per certificate), fastest of several runs",
        us="; ".join(f"{n:,}: {fmt_time(cpu)} / {fmt_time(cpu / n)} ({fmt_time(wall / n)})"
                     for n, cpu, wall in figures),
        alternative="—",
        ratio="CPU time per certificate, each step ×10 in count: "
        + ", ".join(f"×{g:.2f}" for g in steps),
        target="linear",
        verdict="linear" if max(steps) < 1.5 else "not linear at every step",
    )


def update_py(args: argparse.Namespace) -> None:
    """The whole update A→D from Python (software keys, a new sandbox each run) against the same
    update in Rust (criterion's estimate from this run)."""
    import tempfile

    import vnaccs

    keys = vnaccs.Sandbox.test_keys()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        pem = []
        for name in ("enterprise_old", "enterprise_new"):
            cert, key = pathlib.Path(tmp, f"{name}.pem"), pathlib.Path(tmp, f"{name}.key.pem")
            cert.write_text(keys[name].certificate_pem)
            key.write_text(keys[name].key_pem)
            pem.append((cert, key))
        for _ in range(args.rounds):
            with vnaccs.Sandbox() as portal:
                update = vnaccs.CertificateUpdate(
                    tax_code=portal.TAX_CODE,
                    representative_id=portal.REPRESENTATIVE_ID,
                    admin_email=portal.ADMIN_EMAIL,
                    admin_password=portal.ADMIN_PASSWORD,
                    sender_name="Nguyễn Văn An",
                    sender_email="khaibao@saigontrade.vn",
                    office=portal.offices[0],
                    portal_url=portal.url,
                    pem=pem,
                )
                start = time.perf_counter()
                update.run(captcha=lambda _: portal.captcha_answer())
                times.append(time.perf_counter() - start)
    us = statistics.median(times)
    rust = estimate(args.criterion, RUST_WHOLE)
    overhead = us / rust - 1
    add_row(
        args.rows,
        what="the whole update A→D from Python (software keys, a new sandbox each run)",
        us=f"vnaccs.CertificateUpdate.run: {fmt_time(us)} (median of {args.rounds})",
        alternative=f"the same update in Rust from its inputs (PEM keys read, update made; criterion "
        f"median): {fmt_time(rust)}",
        ratio=f"overhead {overhead * 100:+.0f}%",
        target="≤ 5% overhead",
        verdict="met" if overhead <= 0.05 else "missed",
    )


# --- Page parsing ---------------------------------------------------------------------------------

KINDS = {"Đăng ký mới": "new", "Sửa sau phê duyệt": "amendment_after_approval"}
STATUSES = {"Đang nhập liệu": "data_entry", "Đã gửi": "sent", "Đã phê duyệt": "approved",
            "Từ chối": "rejected"}
# The built-in site profile's names (vnaccs-core/src/portal/profile.toml).
FORM, ROWS = "form#form1", "#MainContent_grdKetQua tr.dong"
COLUMNS = ["number", "kind", "created", "status", "sent_at", "reason"]
HIDDEN = ["__VIEWSTATE", "__VIEWSTATEGENERATOR", "__EVENTVALIDATION"]


def oe4001_page(export: pathlib.Path, extra: int, work: pathlib.Path) -> str:
    """A real OE4001 result page: the sandbox's standard scenario (exported by `vnaccs sandbox
    --export`) with `extra` more records of the enterprise, after a whole update recorded as HAR;
    the last OE4001 answer (the search after the send)."""
    import vnaccs

    scenario = json.loads((export / "scenario.json").read_text(encoding="utf-8"))
    now = datetime.datetime.fromisoformat(scenario["now"].replace("Z", "+00:00"))
    office = scenario["offices"][0]
    for i in range(extra):
        at = (now - datetime.timedelta(days=30 * (i + 1), hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        scenario["records"].append(dict(
            tax_code=vnaccs.Sandbox.TAX_CODE, number=f"1024{i:08d}",
            kind=["new", "amendment_after_approval"][i % 2],
            status=["approved", "rejected", "sent"][i % 3],
            created_at=at, sent_at=at, office=office))
    har = work / "oe4001.har"
    with vnaccs.Sandbox(scenario) as portal:
        update = vnaccs.CertificateUpdate(
            {"schema_version": vnaccs._vnaccs.SCHEMA_VERSION, "operation": "update",
             "portal": {"har": str(har)}},
            tax_code=portal.TAX_CODE, representative_id=portal.REPRESENTATIVE_ID,
            admin_email=portal.ADMIN_EMAIL, admin_password=portal.ADMIN_PASSWORD,
            sender_name="Nguyễn Văn An", sender_email="khaibao@saigontrade.vn",
            office=office, portal_url=portal.url,
            pem=[(export / f"{k}.pem", export / f"{k}.key.pem") for k in ("old", "new")])
        update.run(captcha=lambda _: portal.captcha_answer())
    entries = json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]
    return [e["response"]["content"]["text"] for e in entries
            if "OE4001" in e["request"]["url"] and "text" in e["response"]["content"]][-1]


def read_bs4(html: str, tax_code: str) -> Dict[str, Any]:
    """The same extraction as vnaccs.read_search_page with BeautifulSoup over lxml: the result
    rows' cells (whitespace collapsed) as records (labels as the core's names, local times as
    UTC), and the form's hidden WebForms fields."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    vietnam = datetime.timezone(datetime.timedelta(hours=7))
    records = []
    for row in soup.select(ROWS):
        cells = dict(zip(COLUMNS, (" ".join(td.get_text().split())
                                   for td in row.find_all("td", recursive=False))))
        record: Dict[str, Any] = dict(number=cells["number"], tax_code=tax_code,
                                      kind=KINDS[cells["kind"]], status=STATUSES[cells["status"]])
        if cells.get("sent_at"):
            local = datetime.datetime.strptime(cells["sent_at"], "%d/%m/%Y %H:%M:%S")
            record["sent_at"] = local.replace(tzinfo=vietnam).astimezone(
                datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if cells.get("reason"):
            record["reason"] = cells["reason"]
        records.append(record)
    form = soup.select_one(FORM)
    assert form is not None
    hidden = {}
    for name in HIDDEN:
        field = form.find("input", attrs={"name": name})
        hidden[name] = field.get("value", "") if field is not None else ""
    return {"records": records, "hidden_fields": hidden}


def pages(args: argparse.Namespace) -> None:
    import bs4
    import lxml.etree
    import vnaccs

    html = oe4001_page(args.export, args.extra, args.rows.parent)
    tax = vnaccs.Sandbox.TAX_CODE
    ours, theirs = vnaccs.read_search_page(html, tax), read_bs4(html, tax)
    # Both sides must extract the same data.
    assert ours == theirs, (ours, theirs)
    n = len(ours["records"])
    assert n == args.extra + 2, n
    repeat = 20
    us, them = alternate(lambda: [vnaccs.read_search_page(html, tax) for _ in range(repeat)],
                         lambda: [read_bs4(html, tax) for _ in range(repeat)], args.rounds)
    us, them = us / repeat, them / repeat
    lxml_version = ".".join(map(str, lxml.etree.LXML_VERSION[:3]))
    add_row(
        args.rows,
        what=f"reading an OE4001 result page of the sandbox ({len(html.encode()) / 1024:.0f} KiB, "
        f"{n} records, 3 hidden fields) from Python, same data checked on both sides",
        us=f"vnaccs.read_search_page: {fmt_time(us)}",
        alternative=f"BeautifulSoup {bs4.__version__} with lxml {lxml_version}: {fmt_time(them)}",
        ratio=f"{them / us:.1f}× faster" if us < them else f"{us / them:.2f}× slower",
        target="≥ 10× faster",
        verdict="met" if them / us >= 10 else "missed",
    )


# --- Criterion estimates: the update's floor, declarants, C, the token ------------------------------


def estimate(root: pathlib.Path, full_id: str, stat: str = "median") -> float:
    """Seconds: criterion's estimate of the benchmark `full_id` ("group/function") of this run."""
    for info in root.glob("**/new/benchmark.json"):
        if json.loads(info.read_text(encoding="utf-8"))["full_id"] == full_id:
            estimates = json.loads((info.parent / "estimates.json").read_text())
            return float(estimates[stat]["point_estimate"]) / 1e9
    raise SystemExit(f"no criterion estimate of {full_id!r} under {root}")


RUST_UPDATE = "update/run A→D against the sandbox"
# The same update from its inputs (keys read from PEM, the update and its HTTP client made), as the
# bindings time it.
RUST_WHOLE = "update/new and run A→D (PEM keys, as from C and Python)"


def floor(args: argparse.Namespace) -> None:
    """The whole update against its floor: requests × loopback round trip of a small page +
    signatures × one signature, all measured in this run."""
    counts = json.loads((args.criterion / "update" / "counts.json").read_text())
    run = estimate(args.criterion, RUST_UPDATE)
    rtt = estimate(args.criterion, "update floor/loopback round trip of a small page "
                   "(the sandbox's 404)")
    sign = estimate(args.criterion, "update floor/one RSA-2048 signature (software key)")
    requests, signatures = counts["requests"], counts["signatures"]
    bottom = requests * rtt + signatures * sign
    add_row(
        args.rows,
        what=f"the whole update A→D against the sandbox on loopback, software keys: "
        f"{requests} requests ({args.fewest}), {signatures} signatures",
        us=f"wall time in process (criterion median; a new sandbox each run): {fmt_time(run)}",
        alternative=f"the floor: {requests} × {fmt_time(rtt)} (round trip of the sandbox's "
        f"404 page, kept alive) + {signatures} × {fmt_time(sign)} (one RSA-2048 signature) "
        f"= {fmt_time(bottom)}",
        ratio=f"{run / bottom:.2f}× the floor",
        target="≤ 2× the floor, the fewest requests the portal allows",
        verdict="met" if run / bottom <= 2 else "missed",
    )


def declarants(args: argparse.Namespace) -> None:
    counts = json.loads((args.criterion / "update" / "counts.json").read_text())
    per = counts["declarant_requests"]
    figures = [(int(n), per[n], estimate(args.criterion, f"update declarants/{n}"))
               for n in sorted(per, key=int)]
    base_requests, base_time = figures[0][1], figures[0][2]
    steps = [f"{n}: {r} requests, {fmt_time(t)}" for n, r, t in figures]
    marginal = [f"{(r - base_requests) / (n - 1):.1f} requests and "
                f"{fmt_time((t - base_time) / (n - 1))} per user from 1 to {n}"
                for n, r, t in figures[1:]]
    add_row(
        args.rows,
        what="the whole update with 1, 10 and 100 declarant users on the old certificate "
        "(criterion medians)",
        us="; ".join(steps),
        alternative="—",
        ratio="; ".join(marginal),
        target="report (requests and time per user)",
        verdict="—",
    )


def update_c(args: argparse.Namespace) -> None:
    c = json.loads(args.json.read_text())
    us, rust = c["median"], estimate(args.criterion, RUST_WHOLE)
    job = estimate(args.criterion, "update/A→D through the pull driver (workflow::Job, PEM files)")
    overhead = us / rust - 1
    add_row(
        args.rows,
        what="the whole update A→D from C through the C ABI (software keys from PEM files, a new "
        "sandbox each run)",
        us=f"vnaccs_job_start … finished: {fmt_time(us)} (median of {len(c['rounds'])})",
        alternative=f"the same update in Rust from its inputs (PEM keys read, update made; criterion "
        f"median): {fmt_time(rust)}; through the core's pull driver from Rust, as the C ABI runs "
        f"it: {fmt_time(job)}",
        ratio=f"overhead {overhead * 100:+.0f}%",
        target="≤ 5% overhead",
        verdict="met" if overhead <= 0.05 else "missed",
    )


def token(args: argparse.Namespace) -> None:
    group = "softhsm2 RSA-2048"
    us = estimate(args.criterion, f"{group}/cms detached, 4 KiB (the library)")
    bare = estimate(args.criterion, f"{group}/bare C_Sign of the digest (cryptoki)")
    overhead = us / bare - 1
    add_row(
        args.rows,
        what="a detached CMS signature (4 KiB, RSA-2048) on SoftHSM2, alternated with a bare "
        "C_Sign on the same token and key (criterion medians)",
        us=f"the library (session, key lookup, CMS): {fmt_time(us)}",
        alternative=f"bare C_Sign of the DigestInfo through cryptoki (session kept open, key "
        f"found once): {fmt_time(bare)}",
        ratio=f"overhead {overhead * 100:+.1f}%",
        target="overhead ≤ 10%",
        verdict="met" if overhead <= 0.10 else "missed",
    )


# --- Whole-process figures -----------------------------------------------------------------------


def hyperfine(args: argparse.Namespace) -> None:
    """A row from hyperfine's JSON export of two commands (ours first)."""
    results = json.loads(args.json.read_text())["results"]
    us, them = results[0], results[1]
    ratio = them["mean"] / us["mean"]
    add_row(
        args.rows,
        what=args.what,
        us=f"{args.us}: {fmt_time(us['mean'])} ± {fmt_time(us['stddev'] or 0)}",
        alternative=f"{args.alternative}: {fmt_time(them['mean'])} ± "
        f"{fmt_time(them['stddev'] or 0)}",
        ratio=f"{ratio:.2f}× faster" if ratio >= 1 else f"{1 / ratio:.2f}× slower",
        target=args.target,
        verdict="met" if ratio >= args.min_ratio else "missed",
    )


def time_v(args: argparse.Namespace) -> None:
    """A row from `/usr/bin/time -v` outputs (one file a run): the median peak RSS and wall time."""
    rss, wall = [], []
    for path in args.files:
        text = path.read_text()
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("Maximum resident set size"):
                rss.append(int(line.rsplit(":", 1)[1]) / 1024)
            elif line.startswith("Elapsed (wall clock) time"):
                value = line.rsplit(" ", 1)[1]
                parts = [float(p) for p in value.split(":")]
                wall.append(sum(p * 60 ** i for i, p in enumerate(reversed(parts))))
    mib, seconds = statistics.median(rss), statistics.median(wall)
    add_row(
        args.rows,
        what=f"the demo (release `vnaccs demo`), median of {len(rss)} runs",
        us=f"peak memory {mib:.1f} MiB, wall time {fmt_time(seconds)}",
        alternative="—",
        ratio="—",
        target="≤ 16 MiB, ≤ 1 s",
        verdict="met" if mib <= 16 and seconds <= 1 else "missed",
    )


def criterion(args: argparse.Namespace) -> None:
    """A row from criterion's estimates of one benchmark (target/criterion/<id>/new)."""
    estimates = json.loads((args.dir / "new" / "estimates.json").read_text())
    us = estimates["mean"]["point_estimate"] / 1e9
    row: Dict[str, str] = dict(what=args.what, us=f"{args.us}: {fmt_time(us)}", target=args.target)
    if args.json:
        them = json.loads(args.json.read_text())["results"][0]["mean"]
        ratio = them / us
        row.update(
            alternative=f"{args.alternative}: {fmt_time(them)}",
            ratio=f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower",
            verdict="met" if ratio >= args.min_ratio else "missed",
        )
    elif args.per_second:
        row.update(alternative="—", ratio=f"{1 / us:,.0f} requests/s",
                   verdict="met" if 1 / us >= args.per_second else "missed")
    add_row(args.rows, **row)


def wrk(args: argparse.Namespace) -> None:
    text = args.output.read_text()
    line = next(l for l in text.splitlines() if l.startswith("Requests/sec"))
    rps = float(line.split(":")[1])
    add_row(
        args.rows,
        what=f"the sandbox serving the login page with keep-alive, whole process ({args.how})",
        us=f"`vnaccs sandbox`: {rps:,.0f} requests/s",
        alternative="—",
        ratio="—",
        target="report; ≥ 5,000/s on 2 cores",
        verdict="met" if rps >= 5000 else "missed",
    )


# --- The table -----------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(args: argparse.Namespace) -> None:
    rows = [json.loads(l) for l in args.rows.read_text(encoding="utf-8").splitlines() if l]
    load = os.getloadavg()
    lines = [
        "# Benchmarks: vnaccs side by side",
        "",
        "Written by `benches/compare.sh` (issue 16); each pair alternated in one run. "
        "Ratios are the alternative's time over ours.",
        "",
        f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}",
        f"- Load average at the end of the run: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
        f"- openssl: {subprocess.run(['openssl', 'version'], capture_output=True, text=True).stdout.strip()}",
    ]
    if args.note:
        lines.append(f"- Note: {args.note}")
    lines += [
        "",
        "| what | us | the alternative | ratio | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(str(row.get(k, "—")).replace("|", "\\|") for k in ROW_KEYS)
                     + " |")
    if args.missing:
        lines += ["", "## Not measured by this script yet", ""]
        lines += [f"- {m}" for m in args.missing]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("gen")
    g.add_argument("dir", type=pathlib.Path)
    g.add_argument("count", type=int)
    for name in ("certs", "scale"):
        s = sub.add_parser(name)
        s.add_argument("--rows", type=pathlib.Path, required=True)
        s.add_argument("dir", type=pathlib.Path)
        s.add_argument("--rounds", type=int, default=30)
        s.add_argument("--counts", type=int, nargs="+", default=[10, 100, 1000, 10000])
    for name in ("floor", "declarants", "update-c", "token"):
        e = sub.add_parser(name)
        e.add_argument("--rows", type=pathlib.Path, required=True)
        e.add_argument("--criterion", type=pathlib.Path, required=True)
        e.add_argument("--json", type=pathlib.Path)
        e.add_argument("--fewest", default="")
    pg = sub.add_parser("pages")
    pg.add_argument("--rows", type=pathlib.Path, required=True)
    pg.add_argument("--export", type=pathlib.Path, required=True)
    pg.add_argument("--extra", type=int, default=20)
    pg.add_argument("--rounds", type=int, default=30)
    u = sub.add_parser("update-py")
    u.add_argument("--rows", type=pathlib.Path, required=True)
    u.add_argument("--criterion", type=pathlib.Path, required=True)
    u.add_argument("--rounds", type=int, default=20)
    h = sub.add_parser("hyperfine")
    h.add_argument("--rows", type=pathlib.Path, required=True)
    for key in ("json",):
        h.add_argument(f"--{key}", type=pathlib.Path, required=True)
    for key in ("what", "us", "alternative", "target"):
        h.add_argument(f"--{key}", required=True)
    h.add_argument("--min-ratio", type=float, default=1.0)
    t = sub.add_parser("time-v")
    t.add_argument("--rows", type=pathlib.Path, required=True)
    t.add_argument("files", type=pathlib.Path, nargs="+")
    c = sub.add_parser("criterion")
    c.add_argument("--rows", type=pathlib.Path, required=True)
    c.add_argument("--dir", type=pathlib.Path, required=True)
    c.add_argument("--json", type=pathlib.Path)
    for key in ("what", "us", "target"):
        c.add_argument(f"--{key}", required=True)
    c.add_argument("--alternative", default="—")
    c.add_argument("--min-ratio", type=float, default=1.0)
    c.add_argument("--per-second", type=float)
    w = sub.add_parser("wrk")
    w.add_argument("--rows", type=pathlib.Path, required=True)
    w.add_argument("--output", type=pathlib.Path, required=True)
    w.add_argument("--how", required=True)
    r = sub.add_parser("report")
    r.add_argument("--rows", type=pathlib.Path, required=True)
    r.add_argument("--out", type=pathlib.Path, required=True)
    r.add_argument("--note", default="")
    r.add_argument("--missing", nargs="*", default=[])
    args = p.parse_args()
    {"gen": lambda: gen(args.dir, args.count), "certs": lambda: certs(args),
     "scale": lambda: scale(args), "hyperfine": lambda: hyperfine(args),
     "time-v": lambda: time_v(args), "criterion": lambda: criterion(args),
     "wrk": lambda: wrk(args), "update-py": lambda: update_py(args),
     "pages": lambda: pages(args), "floor": lambda: floor(args),
     "declarants": lambda: declarants(args), "update-c": lambda: update_c(args),
     "token": lambda: token(args), "report": lambda: report(args)}[args.command]()


if __name__ == "__main__":
    main()
