// JUnit XML rendering of a RunReport, for CI systems that show test results.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "vectors/runner.h"
#include "vectors/text_util.h"

namespace mxstate::vectors {
namespace {

// The failure type of a test that got no result: the adapter.* code its
// reason starts with (adapter_runner.cc), so that CI can group timeouts and
// crashes; otherwise vectors.not_run.
std::string NotRunType(const std::string& reason) {
  const size_t colon = reason.find(':');
  if (reason.starts_with("adapter.") && colon != std::string::npos) {
    return reason.substr(0, colon);
  }
  return "vectors.not_run";
}

struct SuiteCounts {
  std::vector<const TestOutcome*> tests;
  size_t failures = 0;
  size_t skipped = 0;
};

}  // namespace

std::string JunitXml(const RunReport& report) {
  std::map<std::string, SuiteCounts> suites;  // sorted: stable output
  for (const TestOutcome& test : report.tests) {
    SuiteCounts& suite = suites[test.suite];
    suite.tests.push_back(&test);
    if (test.verdict == TestVerdict::kFail) ++suite.failures;
    if (test.verdict == TestVerdict::kSkip) ++suite.skipped;
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"mxstate-vectors\" tests=\"" +
         std::to_string(report.tests.size() + report.file_errors.size()) +
         "\" failures=\"" + std::to_string(report.failed) + "\" skipped=\"" +
         std::to_string(report.skipped) + "\">\n";
  for (const auto& [name, suite] : suites) {
    xml += "  <testsuite name=\"" + XmlEscape(name) + "\" tests=\"" +
           std::to_string(suite.tests.size()) + "\" failures=\"" +
           std::to_string(suite.failures) + "\" errors=\"0\" skipped=\"" +
           std::to_string(suite.skipped) + "\">\n";
    for (const TestOutcome* test : suite.tests) {
      xml += "    <testcase classname=\"" + XmlEscape(test->suite) +
             "\" name=\"" + XmlEscape(test->id) + "\" file=\"" +
             XmlEscape(test->file) + "\"";
      if (test->verdict == TestVerdict::kPass) {
        xml += "/>\n";
        continue;
      }
      xml += ">\n";
      if (test->verdict == TestVerdict::kSkip) {
        xml += "      <skipped message=\"" + XmlEscape(test->reason) + "\"/>\n";
      } else {
        const std::string type =
            test->result.empty()  ? NotRunType(test->reason)
            : test->error         ? test->error->code
                                  : std::string("mismatch");
        xml += "      <failure type=\"" + XmlEscape(type) + "\" message=\"" +
               XmlEscape(test->reason) + "\">" + XmlEscape(test->reason) +
               "</failure>\n";
      }
      xml += "    </testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  if (!report.file_errors.empty()) {
    xml += "  <testsuite name=\"file-errors\" tests=\"" +
           std::to_string(report.file_errors.size()) + "\" failures=\"" +
           std::to_string(report.file_errors.size()) +
           "\" errors=\"0\" skipped=\"0\">\n";
    for (const FileError& error : report.file_errors) {
      const std::string name =
          error.test_id.empty() ? error.file : error.file + " " + error.test_id;
      xml += "    <testcase classname=\"file-errors\" name=\"" +
             XmlEscape(name) + "\" file=\"" + XmlEscape(error.file) +
             "\">\n      <failure type=\"" + XmlEscape(error.error.code) +
             "\" message=\"" + XmlEscape(error.error.message) + "\">" +
             XmlEscape(error.error.ToString()) +
             "</failure>\n    </testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  return xml;
}

}  // namespace mxstate::vectors
