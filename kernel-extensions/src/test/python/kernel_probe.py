"""Drives the paris-java kernel through jupyter_client and prints what it saw as JSON.

Usage (with JUPYTER_PATH pointing at a folder holding kernels/paris-java):
  kernel_probe.py features JAR   run every feature check once; JAR holds demo.Greeter
  kernel_probe.py starts N       start, run one cell and shut down N times; count start failures
The Java tests (JupyterKernelTest, KernelStartReliabilityTest) assert on the JSON.
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

KERNEL = "paris-java"
START_TIMEOUT = 60


def start():
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=START_TIMEOUT)
    return km, kc


def stop(km, kc):
    try:
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=False)


def run(kc, code, timeout=120):
    """Executes code; returns the reply content and the iopub messages of this request."""
    outputs = []

    def hook(msg):
        outputs.append({"type": msg["msg_type"], "content": msg["content"]})

    reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
    return {"status": reply["content"]["status"], "reply": reply["content"], "outputs": outputs}


def collect_until_idle(kc, msg_id, timeout):
    outputs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append({"type": msg["msg_type"], "content": msg["content"]})
    return outputs


def features(jar):
    km, kc = start()
    out = {}
    try:
        out["rich"] = run(kc, "1 + 1")
        out["java_version"] = run(kc, "Runtime.version().feature()")
        out["streams"] = run(kc, 'System.out.println("hello out");\nSystem.err.println("hello err");')
        out["compile_error"] = run(kc, 'int a = 1;\nString s = 42;')
        out["runtime_error"] = run(kc, 'void boom() {\n  throw new IllegalStateException("boom");\n}\nboom();')
        out["chart"] = run(kc, 'XYChart c = new XYChartBuilder().width(200).height(150).title("t").build();\n'
                               'c.addSeries("s", new double[] {1, 2}, new double[] {3, 4});\nc')
        out["progress"] = run(kc, 'var p = NotebookProgress.create();\n'
                                  'for (int i = 1; i <= 5; i++) { p.onProgress(ProgressEvent.of("steps", i, 5)); Thread.sleep(60); }')
        run(kc, 'String greeting = "x";')
        code = "int n = 1;\ngreeting.toUpp"
        kc.complete(code, len(code))
        out["complete"] = kc.get_shell_msg(timeout=30)["content"]
        out["complete_code_length"] = len(code)
        kc.is_complete("for (int i = 0; i < 3; i++) {")
        out["is_complete_open"] = kc.get_shell_msg(timeout=30)["content"]
        kc.is_complete("1 + 1")
        out["is_complete_done"] = kc.get_shell_msg(timeout=30)["content"]
        msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
        time.sleep(2)
        t0 = time.time()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        out["interrupt"] = {"status": reply["content"]["status"], "reply": reply["content"],
                            "outputs": collect_until_idle(kc, msg_id, 30), "seconds": time.time() - t0}
        out["after_interrupt"] = run(kc, "40 + 2")
        out["classpath"] = run(kc, "%classpath " + jar + "\nnew demo.Greeter().hello()")
        out["time"] = run(kc, '%%time\nSystem.out.println("timed");\n6 * 7')
        out["columns"] = run(kc, 'int a = 1; int b = "x";')
    finally:
        stop(km, kc)
    return out


def starts(n):
    runs = []
    for i in range(n):
        t0 = time.time()
        entry = {"run": i + 1}
        try:
            km, kc = start()
            entry["ready_seconds"] = time.time() - t0
            try:
                r = run(kc, "1 + 1", timeout=60)
                entry["ok"] = r["status"] == "ok"
            finally:
                stop(km, kc)
        except Exception as e:  # a start failure is data here, not a crash
            entry["ok"] = False
            entry["error"] = type(e).__name__ + ": " + str(e)
        entry["seconds"] = time.time() - t0
        runs.append(entry)
    return {"runs": runs, "failures": sum(1 for r in runs if not r["ok"])}


if __name__ == "__main__":
    mode = sys.argv[1]
    result = features(sys.argv[2]) if mode == "features" else starts(int(sys.argv[2]))
    print("PROBE-JSON " + json.dumps(result))
