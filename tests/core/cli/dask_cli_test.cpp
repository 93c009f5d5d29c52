// `timeslice run --model dask` and `compare --engines cpython --models ...` as a user types them:
// a bad scheduler address, one nothing answers at, an interpreter without distributed or a
// model the engine cannot run each say what is wrong, exit 2 and start nothing.
#include "core/python/dask.h"
#include "program_support.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace timeslice;
using namespace timeslice::test;

namespace {

void expect_refused(const std::string& args, const std::string& said)
{
    int code = -1;
    const std::string out = output_of(built_program() + " " + args, code);
    EXPECT_EQ(code, 2) << args << "\n" << out;
    EXPECT_NE(out.find(said), std::string::npos) << args << "\n" << out;
    EXPECT_EQ(out.find("timeslice: running "), std::string::npos) << "something started: " << out;
}

} // namespace

TEST(DaskCli, BadSchedulersAndModelsTheEngineCannotRunAreRefusedWithExitTwo)
{
    expect_refused("run --model dask --scheduler nonsense --kernel off", "'nonsense' names no port");
    expect_refused("run --model dask --scheduler http://127.0.0.1:8786", "not http://");
    expect_refused("run --model dask --scheduler tcp://127.0.0.1:70000", "not a number from 1 to 65535");
    expect_refused("run --model threads --scheduler tcp://127.0.0.1:8786", "--scheduler applies to the dask model");
    expect_refused("run --model processes --worker-threads 2", "--worker-threads applies to the dask model");
    expect_refused("run --model dask --engine native", "the dask model runs real Python: choose the cpython engine");
    expect_refused("run --model dask --scheduler tcp://127.0.0.1:8786 --workers 2",
        "the workers of a running scheduler are its own");
    // Port 1: nothing listens there.
    expect_refused("run --model dask --scheduler tcp://127.0.0.1:1 --kernel off",
        "cannot reach the Dask scheduler at tcp://127.0.0.1:1: Connection refused");
    expect_refused("compare --models processes,dask", "--models: dask runs real Python: add --engines cpython");
    expect_refused("compare --engines native,cpython --model dask", "dask runs real Python only");
    expect_refused("compare --engines cpython --models processes,fibers", "--models: unknown model 'fibers'");
}

TEST(DaskCli, AnInterpreterWithoutDistributedIsRefusedWithExitTwoAndHowToInstallIt)
{
    std::string python;
    try {
        python = find_python("").path;
    } catch (const std::exception& e) {
        GTEST_SKIP() << "no Python to run: " << e.what();
    }
    const std::string venv = temp_path("venv-cli-no-dask");
    ASSERT_EQ(std::system((python + " -m venv --without-pip " + venv + " >/dev/null 2>&1").c_str()), 0);
    expect_refused("run --model dask --kernel off --python " + venv + "/bin/python3",
        "No module named 'distributed'");
    expect_refused("run --model dask --kernel off --python " + venv + "/bin/python3", "apt install python3-distributed");
    std::system(("rm -rf " + venv).c_str());
}
