// A Qt-aware test main: an offscreen QApplication with a fixed font and isolated settings, so
// widget tests run the same on any machine, with or without a display.
#include <QApplication>
#include <QFont>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_SCALE_FACTOR", "1");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TimesliceTests"));
    QApplication::setApplicationName(QStringLiteral("TimesliceTests"));
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(13);
    QApplication::setFont(font);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
