"""Recording rules evaluated by the real promtool: a healthy API has an error ratio of 0, not no data."""

from __future__ import annotations

import yaml

from tests.alerting.conftest import binary, run


def test_error_ratios_are_zero_when_there_are_no_5xx(tmp_path, rule_files):
    application = [f for f in rule_files if f.endswith("application.yml")]
    case = {
        "rule_files": application,
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {
                        "series": 'http_requests_total{job="api", handler="/trade", method="POST", status="2xx"}',
                        "values": "0+600x30",
                    },
                ],
                "promql_expr_test": [
                    {
                        "expr": "job:http_requests:rate5m",
                        "eval_time": "20m",
                        "exp_samples": [{"labels": 'job:http_requests:rate5m{job="api"}', "value": 10}],
                    },
                    {
                        "expr": "job:http_request_errors:ratio_rate5m",
                        "eval_time": "20m",
                        "exp_samples": [{"labels": 'job:http_request_errors:ratio_rate5m{job="api"}', "value": 0}],
                    },
                    {
                        "expr": "job_handler:http_request_errors:rate5m",
                        "eval_time": "20m",
                        "exp_samples": [
                            {
                                "labels": 'job_handler:http_request_errors:rate5m{job="api", handler="/trade"}',
                                "value": 0,
                            }
                        ],
                    },
                    {
                        "expr": "job:slo_http_request_errors:ratio_rate1h",
                        "eval_time": "20m",
                        "exp_samples": [{"labels": 'job:slo_http_request_errors:ratio_rate1h{job="api"}', "value": 0}],
                    },
                ],
            }
        ],
    }
    path = tmp_path / "healthy.yml"
    path.write_text(yaml.safe_dump(case, sort_keys=False))
    result = run(binary("promtool"), "test", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
