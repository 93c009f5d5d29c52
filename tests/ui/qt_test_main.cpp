// A Qt-aware test main: an offscreen QApplication with a fixed font and isolated settings, so
// widget tests run the same on any machine, with or without a display.
#include <QApplication>
#include <QDir>
#include <QFont>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_SCALE_FACTOR", "1");
    QStandardPaths::setTestModeEnabled(true);
    // Settings of this process alone: ctest runs test processes side by side (and a second
    // build's suite may run beside this one); one shared file let one test's saved panel decide
    // what another found at start.
    QTemporaryDir settings_dir(QDir::tempPath() + QStringLiteral("/timeslice-test-settings-XXXXXX"));
    if (settings_dir.isValid()) {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings_dir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings_dir.path());
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TimesliceTests"));
    QApplication::setApplicationName(QStringLiteral("TimesliceTests"));
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(13);
    QApplication::setFont(font);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
