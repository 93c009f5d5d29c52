// A comparison kept as a set: its traces and a manifest, saved and reopened as they were.
#include "core/base/atomic_file.h"
#include "core/run/compare.h"
#include "core/formats/trace_json.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace timeslice;

namespace {

struct TempDir {
    std::string path = test::temp_path("comparison-set");
    TempDir() { std::filesystem::remove_all(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
};

ComparisonSet two_runs()
{
    ComparisonSet set;
    set.title = "every model";
    set.note = "a note\nand a second line";
    for (const ModelKind model : { ModelKind::Threads, ModelKind::Async }) {
        RunConfig c = test::config("async-delay", model, 0.01);
        set.traces.push_back(run_to_end(c));
        set.labels.push_back(std::string(describe(model).name) + (model == ModelKind::Threads ? " (no GIL)" : ""));
    }
    return set;
}

void write(const std::string& path, const std::string& text)
{
    ASSERT_EQ(write_file_atomically(path, text), "");
}

} // namespace

TEST(ComparisonSet, SavesEveryTraceAndAManifestAndReopensThemInOrderWithLabelsAndNote)
{
    TempDir dir;
    const ComparisonSet saved = two_runs();
    ASSERT_EQ(save_comparison(saved, dir.path + "/set"), "");
    // Each trace is a file of its own that opens alone; the manifest names them in order.
    EXPECT_TRUE(std::filesystem::exists(dir.path + "/set/threads-no-gil.json"));
    EXPECT_TRUE(std::filesystem::exists(dir.path + "/set/async.json"));
    std::string manifest, error;
    ASSERT_TRUE(read_file(dir.path + "/set/comparison.json", manifest, error, 1 << 20)) << error;
    EXPECT_TRUE(looks_like_comparison(manifest));

    for (const std::string& path : { dir.path + "/set", dir.path + "/set/comparison.json" }) {
        ComparisonSet opened;
        ASSERT_TRUE(load_comparison(path, opened, error)) << error;
        EXPECT_EQ(opened.title, saved.title);
        EXPECT_EQ(opened.note, saved.note);
        EXPECT_EQ(opened.labels, saved.labels);
        EXPECT_EQ(opened.files, (std::vector<std::string> { "threads-no-gil.json", "async.json" }));
        ASSERT_EQ(opened.traces.size(), 2u);
        for (std::size_t i = 0; i < 2; ++i) {
            EXPECT_EQ(trace_to_json(*opened.traces[i], scorecard_if_any(*opened.traces[i])),
                trace_to_json(*saved.traces[i], scorecard_if_any(*saved.traces[i]))) << i;
        }
    }
    // A trace or a workload file is not taken for a comparison.
    EXPECT_FALSE(looks_like_comparison(trace_to_json(*saved.traces[0], scorecard_if_any(*saved.traces[0]))));
    EXPECT_FALSE(looks_like_comparison(R"({"name": "mine", "tasks": []})"));
}

TEST(ComparisonSet, TwoRunsWithOneLabelGetTwoFilesAndOnlyTheManifestIsWrittenWhenAsked)
{
    TempDir dir;
    ComparisonSet set = two_runs();
    set.labels = { "same", "same" };
    ASSERT_EQ(save_comparison(set, dir.path), "");
    ComparisonSet opened;
    std::string error;
    ASSERT_TRUE(load_comparison(dir.path, opened, error)) << error;
    EXPECT_EQ(opened.files, (std::vector<std::string> { "same.json", "same-2.json" }));
    EXPECT_EQ(opened.traces[1]->info.model, "async");

    // The command line saves each trace as its run ends, then only the manifest.
    ComparisonSet manifest_only;
    manifest_only.labels = { "async only" };
    manifest_only.files = { "same-2.json" };
    ASSERT_EQ(save_comparison(manifest_only, dir.path, false), "");
    ASSERT_TRUE(load_comparison(dir.path, opened, error)) << error;
    EXPECT_EQ(opened.labels, std::vector<std::string> { "async only" });
    EXPECT_EQ(opened.traces[0]->info.model, "async");
}

TEST(ComparisonSet, ABadManifestOrAMissingTraceSaysWhichFileAndWhat)
{
    TempDir dir;
    std::filesystem::create_directories(dir.path);
    const std::string manifest = dir.path + "/comparison.json";
    const auto error_for = [&](const std::string& text) {
        write(manifest, text);
        ComparisonSet set;
        std::string error;
        EXPECT_FALSE(load_comparison(manifest, set, error)) << text;
        EXPECT_NE(error.find(manifest), std::string::npos) << error;
        return error;
    };
    EXPECT_NE(error_for("{ not json").find("not valid JSON"), std::string::npos);
    EXPECT_NE(error_for(R"({"traceEvents": []})").find("not a Timeslice comparison"), std::string::npos);
    EXPECT_NE(error_for(R"({"format": "timeslice-comparison", "version": 9, "runs": []})").find("version"), std::string::npos);
    EXPECT_NE(error_for(R"({"format": "timeslice-comparison", "version": 1, "runs": []})").find("runs: must be a non-empty array"),
        std::string::npos);
    EXPECT_NE(error_for(R"({"format": "timeslice-comparison", "version": 1, "runs": [{"label": 3, "trace": "a.json"}]})")
                  .find("runs[0]: must be an object"),
        std::string::npos);
    // A trace outside the set's folder is refused, not read.
    EXPECT_NE(error_for(R"({"format": "timeslice-comparison", "version": 1, "runs": [{"label": "a", "trace": "../../etc/passwd"}]})")
                  .find("runs[0].trace"),
        std::string::npos);
    const std::string missing
        = error_for(R"({"format": "timeslice-comparison", "version": 1, "runs": [{"label": "a", "trace": "gone.json"}]})");
    EXPECT_NE(missing.find("runs[0]"), std::string::npos) << missing;
    EXPECT_NE(missing.find("gone.json"), std::string::npos) << missing;
    std::string runs;
    for (int i = 0; i < 17; ++i)
        runs += std::string(i ? "," : "") + R"({"label": "a", "trace": "a.json"})";
    EXPECT_NE(error_for(R"({"format": "timeslice-comparison", "version": 1, "runs": [)" + runs + "]}").find("at most 16"),
        std::string::npos);
    ComparisonSet none;
    std::string error;
    EXPECT_FALSE(load_comparison(dir.path + "/nowhere", none, error));
    EXPECT_NE(error.find("nowhere"), std::string::npos) << error;
    EXPECT_NE(save_comparison(none, dir.path), "") << "nothing to save";
}
