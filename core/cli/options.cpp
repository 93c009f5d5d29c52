// Responsible for checking the text of the options the commands share and for CLI11's apps and
// messages, said the way the rest of Timeslice says them.
#include "core/cli/options.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>

namespace timeslice::cli {

namespace {

// CLI11's own messages, said the way the rest of Timeslice says them.
std::string cli_error(const CLI::ParseError& e, const std::string& command)
{
    const std::string what = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        const auto colon = what.find(": ");
        const std::string extra = colon == std::string::npos ? what : what.substr(colon + 2);
        return (extra.rfind('-', 0) == 0 ? "unknown option '" : "unexpected argument '") + extra + "' (see timeslice "
            + command + " --help)";
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
        const auto colon = what.find(':');
        return what.substr(0, colon) + " needs a value";
    }
    return what;
}

void add_run_options(CLI::App& app, RunArgs& args)
{
    for (const RunOption& o : kRunOptions)
        app.add_option(o.name, args.*o.field, o.description)->type_name(o.value)->take_last()->allow_extra_args(false);
}

} // namespace

std::unique_ptr<CLI::App> command_app(const std::string& description, const std::string& name)
{
    auto app = std::make_unique<CLI::App>(description, name);
    app->set_help_flag("-h,--help", "this text");
    return app;
}

std::unique_ptr<CLI::App> run_app(RunArgs& args)
{
    auto owned = command_app("Runs one workload under one model with real processes, threads or coroutines, "
                             "prints each task's worker, start, end and result, and the makespan.",
        "timeslice run");
    CLI::App& app = *owned;
    add_run_options(app, args);
    app.footer("Ctrl+C stops the run as the window's Stop does, then still prints and saves what ran.\n"
               "Exit codes: 0 every task done, 1 a task failed, 2 bad arguments or a file that cannot be\n"
               "written, 130 stopped with Ctrl+C (143 with SIGTERM).");
    return owned;
}

std::unique_ptr<CLI::App> render_app(RenderCommand& cmd, RenderText& text)
{
    auto owned = command_app("Draws a trace saved by Timeslice (timeslice run --trace, or File > Save trace) "
                             "as an image, with no display. The format follows the extension. With --video, "
                             "its replay instead: the picture with the playhead moving across it.",
        "timeslice render");
    CLI::App& app = *owned;
    app.add_option("trace", cmd.trace_path, "the trace file (Chrome Trace Event JSON written by Timeslice)")
        ->type_name("TRACE.json");
    app.add_option("--image", cmd.image_path, "the image to write: FILE.png, .svg or .pdf")
        ->type_name("FILE")
        ->take_last();
    app.add_option("--video", cmd.video_path, "the replay to write instead: FILE.mp4 (H.264)")
        ->type_name("FILE")
        ->take_last();
    app.add_option("--size", text.size, "image size in pixels (default 1600x900; a video's 1280x720)")
        ->type_name("WxH")
        ->take_last();
    app.add_option("--hand-overs", text.hand_overs, "draw the hand-over arrows on the image (default off)")
        ->type_name("on|off")
        ->take_last();
    app.add_option("--speed", text.speed, "--video: run time per video time, 0.001 to 1 (default 0.01: 1/100x)")
        ->type_name("F")
        ->take_last();
    app.add_option("--fps", text.fps, "--video: frames a second, 1 to 120 (default 30)")->type_name("N")->take_last();
    return owned;
}

void parse_with(CLI::App& app, const std::vector<std::string>& args, const std::string& command)
{
    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them from the back
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        throw OptionError { cli_error(e, command) };
    }
}

std::string generated_help(CLI::App& app)
{
    auto formatter = std::make_shared<CLI::Formatter>();
    formatter->column_width(24);
    formatter->label("OPTIONS", "options");
    app.formatter(formatter);
    return app.help();
}

double parse_double(const std::string& name, const std::string& text, double lo, double hi, bool lo_open)
{
    double v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(v))
        throw OptionError { name + ": '" + text + "' is not a number" };
    if ((lo_open ? v <= lo : v < lo) || v > hi) {
        std::ostringstream msg;
        msg << name << ": " << text << " is out of range (" << (lo_open ? "above " : "at least ") << lo << ", at most "
            << hi << ")";
        throw OptionError { msg.str() };
    }
    return v;
}

std::uint64_t parse_count(const std::string& name, const std::string& text, std::uint64_t lo, std::uint64_t hi)
{
    std::uint64_t v = 0;
    if (!text.empty() && text[0] == '-')
        throw OptionError { name + ": " + text + " is negative; give a whole number from " + std::to_string(lo) + " to "
            + std::to_string(hi) };
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ptr != text.data() + text.size()
        || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range))
        throw OptionError { name + ": '" + text + "' is not a whole number" };
    if (r.ec == std::errc::result_out_of_range || v < lo || v > hi)
        throw OptionError { name + ": " + text + " is out of range (" + std::to_string(lo) + " to " + std::to_string(hi)
            + ")" };
    return v;
}

ImageSize parse_size(const std::string& text)
{
    const std::size_t x = text.find('x');
    if (x == std::string::npos)
        throw OptionError { "--size: '" + text + "' is not WIDTHxHEIGHT (for example 1600x900)" };
    ImageSize s;
    s.width = int(parse_count("--size width", text.substr(0, x), 200, 10000));
    s.height = int(parse_count("--size height", text.substr(x + 1), 150, 10000));
    return s;
}

bool parse_on_off(const std::string& name, const std::string& text)
{
    if (text != "on" && text != "off")
        throw OptionError { name + ": '" + text + "' must be on or off" };
    return text == "on";
}

std::vector<double> parse_waits(const std::string& text)
{
    std::vector<double> waits;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        waits.push_back(parse_double("--waits", item, 0, Limits::kMaxWaitSeconds, false));
        if (waits.size() > 10'000)
            throw OptionError { "--waits: at most 10000 waits" };
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return waits;
}

KernelMode parse_kernel_mode(const std::string& text)
{
    const auto mode = kernel_mode_from_name(text);
    if (!mode)
        throw OptionError { "--kernel: '" + text + "' must be auto, exact, sampled or off" };
    return *mode;
}

void require_python(const std::string& executable)
{
    try {
        find_python(executable);
    } catch (const std::invalid_argument& e) {
        throw OptionError { e.what() };
    }
}

std::string check_writable(const std::string& path)
{
    if (path.empty())
        return "no file name given";
    const std::size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    if (access(dir.c_str(), W_OK) != 0)
        return "cannot write '" + path + "': " + (errno == ENOENT ? "the folder does not exist" : std::strerror(errno));
    if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), W_OK) != 0)
        return "cannot write '" + path + "': " + std::strerror(errno);
    return {};
}

void require_writable(std::initializer_list<const std::string*> paths)
{
    for (const std::string* path : paths) {
        if (!path->empty()) {
            if (std::string e = check_writable(*path); !e.empty())
                throw OptionError { e };
        }
    }
}

std::string extension_of(const std::string& path)
{
    const std::size_t dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

std::string check_image_extension(const std::string& path)
{
    const std::string ext = extension_of(path);
    if (ext == "png" || ext == "svg" || ext == "pdf")
        return {};
    return "'" + path + "': the image format comes from the extension: .png, .svg or .pdf";
}

} // namespace timeslice::cli
