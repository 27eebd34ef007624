"""Jenkins Pipeline console logs: the closing lines Jenkins prints itself, and the cause.

Sources (jenkinsci):

- workflow-basic-steps ``TimeoutStepExecution.java`` (``Cancelling nested steps due to
  timeout``; its ``ExceededTimeout`` cause prints ``Timeout has been exceeded``) and
  build-timeout ``src/main/resources/hudson/plugins/build_timeout/Messages.properties``
  (``Build timed out (after {0} minutes). Marking the build as failed.``): a time limit,
  above the ``Finished: ABORTED`` an abort ends with too (core ``Messages.properties``:
  ``Aborted by {0}``);
- remoting ``SynchronousCommandTransport.java`` (``Unexpected termination of the channel``)
  wrapped by ``RemoteInvocationHandler`` in ``hudson.remoting.RemotingSystemException``:
  the agent's connection died;
- workflow-cps ``DSL.java`` (``No such DSL method '{0}' found among steps {1}``), Groovy's
  ``MissingPropertyException`` for a name the script's ``Binding`` lacks (``No such
  property: X for class: groovy.lang.Binding``) and script-security
  ``RejectedAccessException`` (``Scripts not permitted to use …``): the Jenkinsfile is
  broken (``build``);
- workflow-durable-task-step ``DurableTaskStep.java`` (``script returned exit code N``,
  ``hudson.AbortException``): only a wrapper; the tool's output above names the cause.
"""

from __future__ import annotations

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.logreader import text_source


def _plain(lines: list[str]) -> Diagnosis:
    return diagnose(text_source("\n".join(lines) + "\n"))


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


HEAD = [
    "Started by user admin",
    "[Pipeline] Start of Pipeline",
    "[Pipeline] node",
    "Running on agent-3 in /var/lib/jenkins/workspace/demo_main",
    "[Pipeline] {",
]

TIMEOUT_STEP = [
    *HEAD,
    "[Pipeline] timeout",
    "Timeout set to expire in 30 min",
    "[Pipeline] {",
    "[Pipeline] sh",
    "+ make test",
    "running suite 1",
    "Cancelling nested steps due to timeout",
    "Sending interrupt signal to process",
    "Terminated",
    "[Pipeline] }",
    "[Pipeline] // timeout",
    "[Pipeline] End of Pipeline",
    "Timeout has been exceeded",
    "org.jenkinsci.plugins.workflow.steps.FlowInterruptedException",
    "Finished: ABORTED",
]

BUILD_TIMEOUT_PLUGIN = [
    "Started by an SCM change",
    "+ ./run-integration-tests.sh",
    "suite 3 of 9 ...",
    "Build timed out (after 45 minutes). Marking the build as failed.",
    "Build was aborted",
    "Finished: FAILURE",
]

CHANNEL = [
    *HEAD,
    "[Pipeline] sh",
    "+ ./run_tests.sh",
    "[Pipeline] }",
    "[Pipeline] End of Pipeline",
    "hudson.remoting.RemotingSystemException: java.io.IOException: Unexpected termination of "
    "the channel",
    "\tat hudson.remoting.RemoteInvocationHandler.invoke(RemoteInvocationHandler.java:306)",
    "Caused by: java.nio.channels.ClosedChannelException",
    "Finished: FAILURE",
]

NO_SUCH_DSL = [
    *HEAD,
    "[Pipeline] }",
    "[Pipeline] End of Pipeline",
    "java.lang.NoSuchMethodError: No such DSL method 'withMaven' found among steps [archive, "
    "bat, build, catchError, checkout, deleteDir, dir, echo, error, sh, stage, timeout]",
    "\tat org.jenkinsci.plugins.workflow.cps.DSL.invokeMethod(DSL.java:219)",
    "Finished: FAILURE",
]

MISSING_PROPERTY = [
    *HEAD,
    "[Pipeline] End of Pipeline",
    "groovy.lang.MissingPropertyException: No such property: VERSION for class: "
    "groovy.lang.Binding",
    "\tat groovy.lang.Binding.getVariable(Binding.java:63)",
    "\tat WorkflowScript.run(WorkflowScript:12)",
    "Finished: FAILURE",
]


def test_a_timeout_step_is_timeout_not_cancelled() -> None:
    result = _plain(TIMEOUT_STEP)
    texts = _texts(result)
    assert result.category == "timeout", (result.category, result.rule, texts)
    assert result.rule == "jenkins-timeout"
    assert "Cancelling nested steps due to timeout" in texts


def test_the_build_timeout_plugin_is_timeout() -> None:
    result = _plain(BUILD_TIMEOUT_PLUGIN)
    texts = _texts(result)
    assert result.category == "timeout", (result.category, texts)
    assert any(t.startswith("Build timed out (after 45 minutes)") for t in texts), texts


def test_near_miss_a_user_abort_stays_cancelled() -> None:
    result = _plain(
        [
            *HEAD,
            "[Pipeline] sh",
            "+ npm test",
            "Aborted by admin",
            "Sending interrupt signal to process",
            "[Pipeline] End of Pipeline",
            "org.jenkinsci.plugins.workflow.steps.FlowInterruptedException",
            "Finished: ABORTED",
        ]
    )
    assert result.category == "cancelled", (result.category, _texts(result))


def test_a_broken_remoting_channel_is_infra_runner() -> None:
    result = _plain(CHANNEL)
    texts = _texts(result)
    assert result.category == "infra_runner", (result.category, texts)
    assert any("Unexpected termination of the channel" in t for t in texts), texts


def test_pipeline_script_errors_are_build() -> None:
    for lines, message in (
        (NO_SUCH_DSL, "No such DSL method 'withMaven' found among steps"),
        (MISSING_PROPERTY, "No such property: VERSION for class: groovy.lang.Binding"),
    ):
        result = _plain(lines)
        texts = _texts(result)
        assert result.category == "build", (result.category, texts)
        assert result.rule == "jenkins-pipeline-script-error"
        assert any(message in t for t in texts[:2]), texts


def test_near_miss_a_spock_tests_missing_property_is_not_a_pipeline_error() -> None:
    spock = [
        "> Task :test",
        "CalculatorSpec > adds FAILED",
        "    groovy.lang.MissingPropertyException: No such property: total for class: "
        "com.example.CalculatorSpec",
        "        at com.example.CalculatorSpec.adds(CalculatorSpec.groovy:12)",
        "1 test completed, 1 failed",
        "> Task :test FAILED",
    ]
    result = _plain(spock)
    assert result.rule != "jenkins-pipeline-script-error"


def test_the_tools_output_above_script_returned_exit_code_is_the_cause() -> None:
    lines = [
        *HEAD,
        "[Pipeline] sh",
        "+ ./gradlew spotlessCheck",
        "> Task :spotlessJavaCheck FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':spotlessJavaCheck'.",
        "> The following files had format violations:",
        "      src/main/java/demo/Main.java",
        "          -import·java.util.*;",
        "          +import·java.util.List;",
        "  Run './gradlew spotlessApply' to fix these violations.",
        "",
        "BUILD FAILED in 9s",
        "[Pipeline] }",
        "[Pipeline] End of Pipeline",
        "ERROR: script returned exit code 1",
        "Finished: FAILURE",
    ]
    result = _plain(lines)
    texts = _texts(result)
    assert result.category == "format", (result.category, texts)
    assert any("The following files had format violations:" in t for t in texts), texts


def test_a_bare_script_exit_code_stays_unknown() -> None:
    lines = [
        *HEAD,
        "[Pipeline] sh",
        "+ ./ci/run.sh",
        "building...",
        "[Pipeline] End of Pipeline",
        "ERROR: script returned exit code 2",
        "Finished: FAILURE",
    ]
    assert _plain(lines).category == "unknown"
